package dev.mmutrace.trace.generate;

import static dev.mmutrace.trace.EntryBits.ACCESSED;
import static dev.mmutrace.trace.EntryBits.DIRTY;
import static dev.mmutrace.trace.EntryBits.KERNPG_TABLE;
import static dev.mmutrace.trace.EntryBits.NX;
import static dev.mmutrace.trace.EntryBits.PAGE_SHIFT;
import static dev.mmutrace.trace.EntryBits.PAGE_TABLE;
import static dev.mmutrace.trace.EntryBits.PRESENT;
import static dev.mmutrace.trace.EntryBits.RW;
import static dev.mmutrace.trace.EntryBits.USER;

import dev.mmutrace.trace.EntryBits;
import dev.mmutrace.trace.PagingMode;

/**
 * Where a Linux guest of each paging mode puts things, and the entries it writes: the direct
 * map, the user address-space layout, and the values of {@code PAGE_KERNEL} and friends built
 * from {@link EntryBits}. The mode's geometry (the vaddr bits each level indexes) is
 * {@link PagingMode}'s.
 *
 * <p>The subtle thing: x86-64 kernel vaddrs are canonical, bit 47 copied up to bit 63, so they
 * are negative as Java longs; every index is taken with unsigned shifts and masks.
 */
final class Layout {
    /** Frames [0, KERNEL_IMAGE) hold the kernel image. */
    static final long KERNEL_IMAGE = 0x20;
    /** Top-level tables (pgds) come from [KERNEL_IMAGE, TABLES). */
    static final long TOPS = 0x80;
    /** Lower page tables come from [TOPS, TABLES). */
    static final long TABLES = 0x200;
    /** Guest memory: 128 MiB. User pages come from [TABLES, HIGHMEM). */
    static final long PFN_LIMIT = 0x8000;
    /** The top 64 frames stand for highmem page-cache pages that kmap maps. */
    static final long HIGHMEM = PFN_LIMIT - 64;

    final PagingMode mode;
    final int top;
    final boolean nx;

    Layout(PagingMode mode) {
        this.mode = mode;
        this.top = mode.levels();
        this.nx = mode.hasNx();
    }

    /** The slot of {@code va} in a table of {@code level}. The PAE top (PDPT) has 4 entries. */
    int index(long va, int level) {
        return mode.index(level, va);
    }

    long slotGpa(long tablePfn, int index) {
        return mode.slotGpa(tablePfn << PAGE_SHIFT, index);
    }

    /** The vaddrs one table of {@code level} covers start at multiples of this. */
    long span(int level) {
        return mode.span(level + 1);
    }

    long pageOffset() {
        return mode.defaultPageOffset();
    }

    /** Where a user program's text starts: 0x08048000 on 32-bit, 0x400000 on x86-64. */
    long userText() {
        return mode == PagingMode.FOUR_LEVEL ? 0x40_0000L : 0x0804_8000L;
    }

    long userHeap() {
        return mode == PagingMode.FOUR_LEVEL ? 0x60_0000L : 0x0806_0000L;
    }

    long userMmap() {
        return mode == PagingMode.FOUR_LEVEL ? 0x7f00_0000_0000L : 0xb700_0000L;
    }

    /** The top page of the user stack. */
    long userStack() {
        return mode == PagingMode.FOUR_LEVEL ? 0x7fff_ffff_f000L : 0xbfff_f000L;
    }

    /** The vmalloc area: 0xffffc90000000000 on x86-64, 0xe0000000 on 32-bit. */
    long vmalloc() {
        return mode == PagingMode.FOUR_LEVEL ? 0xffff_c900_0000_0000L : 0xE000_0000L;
    }

    /** The kmap_atomic window (32-bit only), below the Xen hole at 0xf5800000 and lguest's Switcher. */
    long kmapAtomic() {
        return 0xF540_0000L;
    }

    /**
     * PAGE_KERNEL (non-executable) or PAGE_KERNEL_EXEC for the kernel image. Never global: a Xen PV
     * guest drops _PAGE_GLOBAL from every PTE it makes (xen_start_kernel masks it out of
     * __supported_pte_mask; 32-bit Xen refuses it in an L1).
     */
    long kernelPte(long pfn) {
        long v = (pfn << 12) | PRESENT | RW | ACCESSED | DIRTY;
        return pfn < KERNEL_IMAGE || !nx ? v : v | NX;
    }

    /** An anonymous user page after a write fault: present, writable, user, accessed, dirty, NX. */
    long userData(long pfn) {
        return (pfn << 12) | PRESENT | RW | USER | ACCESSED | DIRTY | (nx ? NX : 0);
    }

    /** A user page after a read fault (or COW-shared): read-only. */
    long userReadOnly(long pfn) {
        return (pfn << 12) | PRESENT | USER | ACCESSED | (nx ? NX : 0);
    }

    /** Program text: read-only, executable. */
    long userText(long pfn) {
        return (pfn << 12) | PRESENT | USER | ACCESSED;
    }

    /** The value that hooks a table at {@code pfn} into a parent of {@code parentLevel}. */
    long hook(long pfn, int parentLevel, boolean user) {
        if (mode == PagingMode.PAE && parentLevel == 3) {
            return (pfn << 12) | PRESENT; // PDPT entries: only P (RW/US/A/D are reserved there)
        }
        return (pfn << 12) | (user ? PAGE_TABLE : KERNPG_TABLE);
    }

    static long pfnOf(long value) {
        return (value & EntryBits.FRAME_8) >>> PAGE_SHIFT;
    }
}
