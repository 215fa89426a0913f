package dev.mmutrace.trace.generate;

import dev.mmutrace.trace.Access;

/**
 * buggy-guest: a process on vCPU 0 whose kernel gets three things wrong, in this order, then
 * exits:
 * <ol>
 *   <li>a writable user mapping of one of its own page-table pages (the L1 holding its heap);
 *   <li>a missing flush: a page is written (its fault's retry fills the TLB when the next fault,
 *       on the page after it, comes), then unmapped (PTE cleared) with no TLB flush, and its frame
 *       is at once reused as a new page table while the vCPU's TLB still maps it writable;
 *   <li>a PTE naming a frame beyond guest memory (pfn_limit + 0x100).
 * </ol>
 * Each round is a new process doing the same.
 */
final class BuggyGuestScript implements WorkloadScript {
    static final long BEYOND_MEMORY = Layout.PFN_LIMIT + 0x100;
    private GuestMm task;

    @Override
    public void setup(GuestKernel k) {
        task = Processes.exec(k, 0, null);
    }

    @Override
    public void round(GuestKernel k, int round) {
        Layout l = k.layout;
        if (task == null) {
            task = Processes.exec(k, 0, null);
        }
        k.run(0, task);
        long heapTable = k.l1Of(task, l.userHeap());
        k.faultMapping(0, task, l.userMmap(), Access.Kind.WRITE, l.userData(heapTable), -1);

        long unmapped = l.userMmap() + l.span(1);
        k.fault(0, task, unmapped, Access.Kind.WRITE);
        // the next fault is where the first one's implied retry runs and fills the TLB
        k.fault(0, task, unmapped + 0x1000, Access.Kind.WRITE);
        long frame = k.unmapAndKeepFrame(0, task, unmapped);
        long reused = l.userMmap() + 2 * l.span(1);
        k.faultMapping(0, task, reused, Access.Kind.WRITE, l.userData(k.allocateData()), frame);

        k.faultMapping(0, task, reused + 0x1000, Access.Kind.WRITE, l.userData(BEYOND_MEMORY), -1);
        k.exitMmap(0, task);
        task = null;
    }

    @Override
    public int naturalRounds() {
        return 1;
    }
}
