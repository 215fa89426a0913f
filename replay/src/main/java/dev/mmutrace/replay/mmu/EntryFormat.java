package dev.mmutrace.replay.mmu;

import static dev.mmutrace.trace.EntryBits.NX;
import static dev.mmutrace.trace.EntryBits.PSE;
import static dev.mmutrace.trace.EntryBits.RW;
import static dev.mmutrace.trace.EntryBits.USER;
import static java.util.Objects.requireNonNull;

import dev.mmutrace.trace.CpuFeatures;
import dev.mmutrace.trace.EntryBits;
import dev.mmutrace.trace.PagingMode;

/**
 * The x86 page-table entry layout for one paging mode and CPU: which levels map a large page
 * with this CPU, which bits are reserved at each level (reference/x86.md §2.2), and the mode's
 * geometry ({@link PagingMode}) and bits ({@link EntryBits}) cached for the walk. Everything in
 * the MMU that decodes an entry (the walker, the TLB's staleness rules) reads it from here.
 *
 * <p>Levels are Xen's: L1 is the page table, the top is L2 (2level), L3 (pae, the 4-entry PDPT)
 * or L4 (4level). The subtle thing: PAE's PDPTEs have no RW, US, NX or A bits (bits 2:1 and 8:5
 * are reserved there), so the walker neither ANDs rights from them nor sets A in them.
 */
public final class EntryFormat {
    private final PagingMode mode;
    private final CpuFeatures cpu;
    private final int top;
    private final int entryShift;
    private final long frameMask;
    /** Per level (index 1..top): vaddr bit where the level's index starts. */
    private final int[] shift = new int[5];
    /** Per level: how many index bits the level takes from the vaddr. */
    private final int[] indexBits = new int[5];
    /** Per level: whether PS=1 makes the entry a large leaf there. */
    private final boolean[] largeAllowed = new boolean[5];
    /** Per level: reserved bits of a table (or 4 KiB leaf) entry. */
    private final long[] reserved = new long[5];
    /** Per level: reserved bits of a large leaf (including the large-page alignment bits). */
    private final long[] reservedLarge = new long[5];
    /** Per level: whether the entry carries RW/US/NX/A (false only for PAE PDPTEs). */
    private final boolean[] hasRights = new boolean[5];
    private final boolean nxe;

    public EntryFormat(PagingMode mode, CpuFeatures cpu) {
        this.mode = requireNonNull(mode, "mode");
        this.cpu = requireNonNull(cpu, "cpu");
        this.top = mode.levels();
        this.entryShift = mode.entryShift();
        this.frameMask = mode.frameMask();
        int m = cpu.maxPhyAddr();
        // NX exists only in 8-byte entries; with EFER.NXE clear bit 63 is reserved there.
        this.nxe = mode != PagingMode.TWO_LEVEL && cpu.nxe();
        long exb = nxe ? 0 : NX;
        for (int l = 1; l <= top; l++) {
            shift[l] = mode.shift(l);
            indexBits[l] = mode.indexBits(l);
            largeAllowed[l] = mode.largePagePossible(l) && (mode != PagingMode.TWO_LEVEL || cpu.pse());
            hasRights[l] = mode.carriesRights(l);
        }
        switch (mode) {
            case TWO_LEVEL -> {
                reserved(1, 0, 0);
                // PSE-36: bits 20:13 of a 4 MiB PDE are PA[39:32]; those above MAXPHYADDR and
                // bit 21 are reserved (Bochs' formula, reference/x86.md §2.2).
                long pse36 = m > 40 ? 0 : ((1L << (41 - m)) - 1) << (13 + m - 32);
                reserved(2, 0, (1L << 21) | pse36);
            }
            case PAE -> {
                long high = bits(62, m);
                reserved(1, exb | high, 0);
                reserved(2, exb | high, exb | high | bits(20, 13));
                // PDPTE: 63:M, 8:5 (PS included), 2:1; no NX, RW, US or A.
                reserved(3, bits(63, m) | bits(8, 5) | bits(2, 1), 0);
            }
            case FOUR_LEVEL -> {
                long high = bits(51, m);
                reserved(1, exb | high, 0);
                reserved(2, exb | high, exb | high | bits(20, 13));
                reserved(3, exb | high, exb | high | bits(29, 13));
                reserved(4, exb | high | PSE, 0);
            }
            default -> throw new IllegalArgumentException("unknown paging mode " + mode);
        }
    }

    private void reserved(int l, long rsvd, long rsvdLarge) {
        reserved[l] = rsvd;
        reservedLarge[l] = rsvdLarge;
    }

    /** Bits hi..lo inclusive (empty when lo > hi). */
    static long bits(int hi, int lo) {
        if (lo > hi) {
            return 0;
        }
        long upto = hi == 63 ? -1L : (1L << (hi + 1)) - 1;
        return upto & ~((1L << lo) - 1);
    }

    public PagingMode mode() {
        return mode;
    }

    public CpuFeatures cpu() {
        return cpu;
    }

    /** The top level: 2, 3 or 4. */
    public int top() {
        return top;
    }

    /** Whether NX is in force (8-byte entries and EFER.NXE). */
    public boolean nxe() {
        return nxe;
    }

    /** log2 of the entry size: 2 or 3. */
    public int entryShift() {
        return entryShift;
    }

    /** The vaddr bit where {@code level}'s index starts: the size of what one entry maps. */
    public int shift(int level) {
        return shift[level];
    }

    public int indexBits(int level) {
        return indexBits[level];
    }

    /** The index into a {@code level} table that {@code vaddr} selects. */
    public int index(int level, long vaddr) {
        return (int) ((vaddr >>> shift[level]) & ((1L << indexBits[level]) - 1));
    }

    public boolean largeAllowed(int level) {
        return largeAllowed[level];
    }

    public boolean hasRights(int level) {
        return hasRights[level];
    }

    /** Reserved bits of an entry at {@code level}; {@code large} for a PS=1 leaf. */
    public long reserved(int level, boolean large) {
        return large ? reservedLarge[level] : reserved[level];
    }

    /** The entry as the CPU reads it: 2level entries are 32 bits wide. */
    public long width(long entry) {
        return entryShift == 2 ? entry & 0xffff_ffffL : entry;
    }

    public static boolean present(long entry) {
        return EntryBits.present(entry);
    }

    /** Whether a present entry at {@code level} is a leaf (L1, or PS=1 where large pages exist). */
    public boolean isLeaf(int level, long entry) {
        return level == 1 || (largeAllowed[level] && (entry & PSE) != 0);
    }

    /** The gpa of the table (or 4 KiB frame) a non-large entry points to. */
    public long tableAddress(long entry) {
        return entry & frameMask;
    }

    /** The gpa of the frame a leaf at {@code level} maps (page-aligned to the leaf's size). */
    public long frameAddress(int level, long entry) {
        if (level == 1) {
            return tableAddress(entry);
        }
        if (entryShift == 2) {
            // 4 MiB PDE: PA[31:22] in place, PA[39:32] from bits 20:13 (PSE-36).
            return (entry & 0xffc0_0000L) | (((entry >>> 13) & 0xff) << 32);
        }
        return entry & frameMask & ~((1L << shift[level]) - 1);
    }

    /** The gpa of entry {@code index} in the top table at {@code cr3} (PAE: 32-byte aligned PDPT). */
    public long topSlot(long cr3, int index) {
        return mode.slotGpa(mode.topTableGpa(cr3), index);
    }

    /** The vaddr bits the paging mode translates (48 in 4level, 32 otherwise). */
    public long linear(long vaddr) {
        return mode.linear(vaddr);
    }

    /** The canonical form of a translated vaddr (4level sign-extends bit 47). */
    public long canonical(long linear) {
        return mode.canonical(linear);
    }

    /**
     * Whether replacing {@code oldEntry} by {@code newEntry} takes a translation away or narrows it
     * (SPEC §4): present to not present, another frame or table (or a PS change), RW or US cleared,
     * NX set. Anything else (a new mapping, more rights, A/D changes) is an upgrade or neutral and
     * needs no flush on x86.
     */
    public boolean isDowngrade(long oldEntry, long newEntry) {
        long o = width(oldEntry);
        long n = width(newEntry);
        if (!present(o)) {
            return false;
        }
        if (!present(n)) {
            return true;
        }
        if (((o ^ n) & (frameMask | PSE)) != 0) {
            return true;
        }
        if ((o & RW) != 0 && (n & RW) == 0) {
            return true;
        }
        if ((o & USER) != 0 && (n & USER) == 0) {
            return true;
        }
        return entryShift == 3 && (o & NX) == 0 && (n & NX) != 0;
    }
}
