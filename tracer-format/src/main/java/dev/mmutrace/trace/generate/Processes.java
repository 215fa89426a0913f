package dev.mmutrace.trace.generate;

import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.EntryBits;

/**
 * fork, execve and the first steps of a new program, as sequences of guest mm operations. Shared
 * by the workloads that start processes.
 */
final class Processes {
    private Processes() {
    }

    /**
     * execve on {@code cpu}: a new mm with the argument page on its stack, activated (pinned, then
     * loaded), the old mm released, then the new program faults in 3 text pages, 2 data pages and
     * a second stack page.
     */
    static GuestMm exec(GuestKernel k, int cpu, GuestMm old) {
        Layout l = k.layout;
        GuestMm mm = k.newMm(cpu);
        k.map(cpu, mm, l.userStack(), l.userData(k.allocateData()));
        k.pin(cpu, mm);
        k.switchTo(cpu, mm);
        if (old != null) {
            k.exitMmap(cpu, old);
        }
        for (int i = 0; i < 3; i++) {
            k.fault(cpu, mm, l.userText() + ((long) i << 12), Access.Kind.FETCH);
        }
        for (int i = 0; i < 2; i++) {
            k.fault(cpu, mm, l.userHeap() + ((long) i << 12), Access.Kind.WRITE);
        }
        k.fault(cpu, mm, l.userStack() - 0x1000, Access.Kind.WRITE);
        return mm;
    }

    /**
     * fork from the parent running on {@code cpu}: a new mm, then copy_page_range inside a lazy MMU
     * window (each writable parent PTE write-protected, the child given the same read-only entry),
     * flush_tlb_mm of the parent, and the child's pin (xen_dup_mmap).
     */
    static GuestMm fork(GuestKernel k, int cpu, GuestMm parent) {
        GuestMm child = k.newMm(cpu);
        k.lazy(cpu, true);
        for (long va : parent.pages.keySet().toLongArray()) {
            long value = parent.pages.get(va);
            long readOnly = value & ~EntryBits.RW;
            if (readOnly != value) {
                k.rewrite(cpu, parent, va, readOnly);
            }
            k.map(cpu, child, va, readOnly);
            k.shareData(Layout.pfnOf(readOnly));
        }
        k.lazy(cpu, false);
        k.flushUser(cpu);
        k.pin(cpu, child);
        return child;
    }
}
