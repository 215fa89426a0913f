package dev.mmutrace.replay.lguest;

import static dev.mmutrace.trace.EntryBits.NX;
import static dev.mmutrace.trace.EntryBits.RW;
import static dev.mmutrace.trace.EntryBits.USER;

import dev.mmutrace.trace.EntryBits;
import dev.mmutrace.trace.PagingMode;

/**
 * The index arithmetic the lguest host needs, for the trace's paging mode, from the mode's
 * geometry ({@link PagingMode}; the entry bits are {@link EntryBits}). The seed is 2-level
 * (1024-entry tables); pae and 4level use the same arithmetic with 9 index bits per level, and
 * pae's top table (the PDPT) has only 4 entries and no RW/US bits.
 */
final class Paging {
    /** The Switcher sits in the top 4 MiB of the virtual address space. */
    private static final long SWITCHER_BYTES = 4L << 20;
    private static final long LOW_FLAGS = EntryBits.PAGE_OFFSET_MASK;

    final PagingMode mode;
    /** The level of the top table: 2, 3 or 4. */
    final int top;
    private final boolean wide;
    private final long flagsMask;
    private final long switcherBase;
    /** Per level 1..top: the shift and the entry count, worked out once (index() runs on every walk step). */
    private final int[] shifts = new int[5];
    private final int[] entryCounts = new int[5];

    Paging(PagingMode mode) {
        this.mode = mode;
        this.top = mode.levels();
        this.wide = mode.hasNx();
        this.flagsMask = wide ? LOW_FLAGS | NX : LOW_FLAGS;
        this.switcherBase = mode == PagingMode.FOUR_LEVEL ? -SWITCHER_BYTES : (1L << 32) - SWITCHER_BYTES;
        for (int level = 1; level <= top; level++) {
            shifts[level] = mode.shift(level);
            entryCounts[level] = mode.entries(level);
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
        return EntryBits.present(entry);
    }

    /** pte_flags / pgd_flags: the low 12 bits, and NX where entries are 64-bit. */
    long flags(long entry) {
        return entry & flagsMask;
    }

    long pfn(long entry) {
        return mode.pfn(entry);
    }

    /** pae's PDPT entries carry no RW or US bit: rights start one level down. */
    boolean carriesRights(int level) {
        return mode.carriesRights(level);
    }

    /** The address as the CPU sees it: 32 bits, or sign-extended from bit 47. */
    long canonical(long vaddr) {
        return mode.canonical(vaddr);
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
        return mode.topTableGpa(entryGpa);
    }

    /** Index of the entry at {@code entryGpa} in a table starting at {@code tableGpa}. */
    int indexAt(long tableGpa, long entryGpa) {
        return (int) ((entryGpa - tableGpa) >>> mode.entryShift());
    }

    long slotGpa(long tableGpa, int index) {
        return mode.slotGpa(tableGpa, index);
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
