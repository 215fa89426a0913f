package dev.mmutrace.replay.lguest;

import dev.mmutrace.trace.PagingMode;

/**
 * The entry bits and index arithmetic the lguest host needs, for the trace's paging mode. The
 * seed is 2-level (1024-entry tables); pae and 4level use the same arithmetic with 9 index bits
 * per level, and pae's top table (the PDPT) has only 4 entries and no RW/US bits.
 */
final class Paging {
    static final long PRESENT = 1;
    static final long RW = 1 << 1;
    static final long USER = 1 << 2;
    static final long PWT = 1 << 3;
    static final long ACCESSED = 1 << 5;
    static final long DIRTY = 1 << 6;
    static final long PSE = 1 << 7;
    static final long GLOBAL = 1 << 8;
    static final long NX = 1L << 63;
    /** Linux's _PAGE_TABLE: the only flags check_gpgd lets a guest top-level entry carry. */
    static final long PAGE_TABLE = PRESENT | RW | USER | ACCESSED | DIRTY;
    static final int PAGE_SHIFT = 12;
    static final long PAGE_SIZE = 1L << PAGE_SHIFT;
    /** The Switcher sits in the top 4 MiB of the virtual address space. */
    private static final long SWITCHER_BYTES = 4L << 20;
    private static final long FLAGS_2LEVEL = 0xfffL;
    private static final long FLAGS_WIDE = 0xfffL | NX;
    private static final long PFN_2LEVEL = 0xffff_f000L;
    private static final long PFN_WIDE = 0x000f_ffff_ffff_f000L;

    final PagingMode mode;
    /** The level of the top table: 2, 3 or 4. */
    final int top;
    final int entryBytes;
    private final int indexBits;
    private final boolean wide;
    private final long switcherBase;
    /** Per level 1..top: the shift and the entry count, worked out once (index() runs on every walk step). */
    private final int[] shifts = new int[5];
    private final int[] entryCounts = new int[5];

    Paging(PagingMode mode) {
        this.mode = mode;
        this.top = mode.levels();
        this.entryBytes = mode.entryBytes();
        this.wide = entryBytes == 8;
        this.indexBits = wide ? 9 : 10;
        this.switcherBase = mode == PagingMode.FOUR_LEVEL ? -SWITCHER_BYTES : (1L << 32) - SWITCHER_BYTES;
        for (int level = 1; level <= top; level++) {
            shifts[level] = PAGE_SHIFT + (level - 1) * indexBits;
            entryCounts[level] = level == top && mode == PagingMode.PAE ? 4 : 1 << indexBits;
        }
    }

    boolean generalized() {
        return mode != PagingMode.TWO_LEVEL;
    }

    int shift(int level) {
        return shifts[level];
    }

    int entries(int level) {
        return entryCounts[level];
    }

    int index(int level, long vaddr) {
        return (int) ((vaddr >>> shifts[level]) & (entryCounts[level] - 1));
    }

    static boolean present(long entry) {
        return (entry & PRESENT) != 0;
    }

    /** pte_flags / pgd_flags: the low 12 bits, and NX where entries are 64-bit. */
    long flags(long entry) {
        return entry & (wide ? FLAGS_WIDE : FLAGS_2LEVEL);
    }

    long pfn(long entry) {
        return (entry & (wide ? PFN_WIDE : PFN_2LEVEL)) >>> PAGE_SHIFT;
    }

    /** pae's PDPT entries carry no RW or US bit: rights start one level down. */
    boolean carriesRights(int level) {
        return !(mode == PagingMode.PAE && level == top);
    }

    /** The address as the CPU sees it: 32 bits, or sign-extended from bit 47. */
    long canonical(long vaddr) {
        return mode == PagingMode.FOUR_LEVEL ? (vaddr << 16) >> 16 : vaddr & 0xffff_ffffL;
    }

    boolean inSwitcher(long vaddr) {
        return Long.compareUnsigned(canonical(vaddr), switcherBase) >= 0;
    }

    /** Unsigned comparison of canonical addresses: vaddr at or above {@code boundary}. */
    boolean atOrAbove(long vaddr, long boundary) {
        return Long.compareUnsigned(canonical(vaddr), canonical(boundary)) >= 0;
    }

    /** The top table holding {@code entryGpa}: the page, or pae's 32-byte PDPT. */
    long topTableGpa(long entryGpa) {
        return mode == PagingMode.PAE ? entryGpa & ~31L : entryGpa & ~(PAGE_SIZE - 1);
    }

    /** Index of the entry at {@code entryGpa} in a table starting at {@code tableGpa}. */
    int indexAt(long tableGpa, long entryGpa) {
        return (int) ((entryGpa - tableGpa) / entryBytes);
    }

    long slotGpa(long tableGpa, int index) {
        return tableGpa + (long) index * entryBytes;
    }

    /** The rights a path grants so far (RW and USER ANDed over levels, NX ORed), extended by one entry. */
    long rights(long soFar, long entry, int level) {
        long r = soFar;
        if (carriesRights(level)) {
            r &= entry | ~(RW | USER);
        }
        return r | (entry & NX & (wide ? NX : 0));
    }

    /** Rights of an empty path: everything granted, nothing forbidden. */
    static final long ALL_RIGHTS = RW | USER;
}
