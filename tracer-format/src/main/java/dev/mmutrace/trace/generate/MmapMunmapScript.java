package dev.mmutrace.trace.generate;

import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.EntryBits;

/**
 * mmap-munmap: a two-threaded process (vCPUs 0 and 1 when there are two) maps anonymous regions
 * of 4 or 40 pages, each in a page table of its own, and writes every page (a fault each). Every
 * other round it mprotects the region read-only (ptep_modify_prot in a lazy MMU window, then
 * flush_tlb_range). Then munmap: the PTEs cleared in a lazy MMU window, flush_tlb_mm_range (one
 * invlpg per page up to 33 pages, a full flush beyond, and a multi flush to the other thread's
 * vCPU), and the emptied page table unhooked and released.
 */
final class MmapMunmapScript implements WorkloadScript {
    private GuestMm task;

    @Override
    public void setup(GuestKernel k) {
        task = Processes.exec(k, 0, null);
        if (k.vcpus > 1) {
            k.switchTo(1, task);
        }
    }

    @Override
    public void round(GuestKernel k, int round) {
        Layout l = k.layout;
        k.run(0, task);
        int pages = round % 3 == 2 ? 40 : 4;
        long base = l.userMmap() + (round % 4) * l.span(1);
        for (int i = 0; i < pages; i++) {
            k.fault(0, task, base + ((long) i << 12), Access.Kind.WRITE);
        }
        if (round % 2 == 1) {
            k.lazy(0, true);
            for (int i = 0; i < pages; i++) {
                long va = base + ((long) i << 12);
                k.protect(0, task, va, task.pages.get(va) & ~EntryBits.RW);
            }
            k.lazy(0, false);
            k.flushRange(0, task, base, pages);
        }
        k.lazy(0, true);
        for (int i = 0; i < pages; i++) {
            k.unmap(0, task, base + ((long) i << 12));
        }
        k.lazy(0, false);
        k.flushRange(0, task, base, pages);
        k.freeTable(0, task, 1, base);
    }

    @Override
    public int naturalRounds() {
        return 6;
    }
}
