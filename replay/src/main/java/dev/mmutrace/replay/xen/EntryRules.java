package dev.mmutrace.replay.xen;

import dev.mmutrace.trace.PagingMode;

/**
 * The bit layout and the Xen 3.4 disallow masks of one paging mode, in one place.
 *
 * <p>Xen checks an entry's flags in its own compressed form (low 12 bits of the entry, plus the
 * high bits folded down: bits 52..63 to 12..23 on x86-64, bits 44..63 to 12..31 on 32-bit PAE),
 * and prints refused bits in that form ("Bad L1 flags %x"); this class does the same so the
 * messages match Xen's. 2level is not a mode Xen 3.4 runs PV guests in (non-PAE 32-bit Xen
 * was gone); for 2level traces the 32-bit masks are applied to the low 12 bits, and the docs say
 * so.
 */
final class EntryRules {
    static final long PRESENT = 1L;
    static final long RW = 1L << 1;
    static final long USER = 1L << 2;
    static final long PWT = 1L << 3;
    static final long PCD = 1L << 4;
    static final long ACCESSED = 1L << 5;
    static final long DIRTY = 1L << 6;
    static final long PSE = 1L << 7;
    static final long GLOBAL = 1L << 8;
    /** PAT, PCD, PWT: the cache attributes only a domain with I/O rights may set in an L1. */
    static final int CACHE_ATTRS = 0x98;
    static final int FLAG_PSE = 0x80;
    static final int FLAG_GLOBAL = 0x100;

    /** Frame bits of an entry in Xen's machine view (mfns may exceed 32-bit frame fields). */
    static final long MACHINE_FRAME_MASK = 0x000F_FFFF_FFFF_F000L;

    private final PagingMode mode;
    private final long guestFrameMask;
    private final int[] disallow = new int[5];
    private final int entries;
    private final int topLevel;

    EntryRules(PagingMode mode, boolean nx, boolean ioRights) {
        this.mode = mode;
        this.entries = mode.entriesPerTable();
        this.topLevel = mode.levels();
        int base;
        switch (mode) {
            case FOUR_LEVEL -> {
                guestFrameMask = 0x000F_FFFF_FFFF_F000L;
                base = 0xFF80_0198 & ~(nx ? 1 << 23 : 0);
                disallow[1] = base & ~FLAG_GLOBAL;
                disallow[2] = base & ~FLAG_PSE;
                disallow[3] = base;
                disallow[4] = base;
            }
            case PAE -> {
                guestFrameMask = 0x000F_FFFF_FFFF_F000L;
                base = 0xFFFF_F198 & ~(nx ? 1 << 31 : 0);
                disallow[1] = base;
                disallow[2] = base & ~FLAG_PSE;
                disallow[3] = 0xFFFF_F1FE;
            }
            default -> {
                guestFrameMask = 0xFFFF_F000L;
                base = 0x198;
                disallow[1] = base;
                disallow[2] = base & ~FLAG_PSE;
            }
        }
        if (ioRights) {
            disallow[1] &= ~CACHE_ATTRS;
        }
    }

    PagingMode mode() {
        return mode;
    }

    int topLevel() {
        return topLevel;
    }

    /** Entries in one table page; the PAE top table (PDPT) has only 4. */
    int entries(int level) {
        return mode == PagingMode.PAE && level == 3 ? 4 : entries;
    }

    /** Whether Xen lets the guest own slot {@code index} of a table at {@code level} (x86-64 L4 slots 256..271 are Xen's). */
    boolean guestSlot(int level, int index) {
        return !(mode == PagingMode.FOUR_LEVEL && level == 4 && index >= 256 && index <= 271);
    }

    /** How many slots a full validation of a table at {@code level} scans. */
    int slotsScanned(int level) {
        return mode == PagingMode.FOUR_LEVEL && level == 4 ? entries - 16 : entries(level);
    }

    /** How many guest slots a validation that stopped at slot {@code i} (inclusive) had scanned. */
    int slotsScannedThrough(int level, int i) {
        return mode == PagingMode.FOUR_LEVEL && level == 4 && i > 271 ? i + 1 - 16 : i + 1;
    }

    /** The slot of {@code vaddr} in a table at {@code level}. */
    int index(int level, long vaddr) {
        if (mode == PagingMode.TWO_LEVEL) {
            return (int) ((vaddr >>> (12 + 10 * (level - 1))) & 1023);
        }
        int i = (int) ((vaddr >>> (12 + 9 * (level - 1))) & 511);
        return mode == PagingMode.PAE && level == 3 ? i & 3 : i;
    }

    /** The vaddr an entry at {@code index} of a table at {@code level} starts to map, from {@code base}. */
    long span(int level) {
        return mode == PagingMode.TWO_LEVEL ? 1L << (12 + 10 * (level - 1)) : 1L << (12 + 9 * (level - 1));
    }

    /**
     * The mfn a guest entry carries when its pfn has no machine frame: Linux's
     * {@code INVALID_P2M_ENTRY} (~0UL) shifted into the frame field (2.6.2x: 46 physical bits on
     * x86-64, a 32-bit mfn under PAE, a 20-bit frame in 2level). Xen owns no such frame.
     */
    long invalidMfn() {
        return switch (mode) {
            case FOUR_LEVEL -> (1L << 34) - 1;
            case PAE -> 0xFFFF_FFFFL;
            default -> 0xF_FFFFL;
        };
    }

    /** The guest's pfn in a guest (pfn-based) entry. */
    long guestPfn(long entry) {
        return (entry & guestFrameMask) >>> 12;
    }

    long guestFrameMask() {
        return guestFrameMask;
    }

    /** The mfn in a machine (Xen-view) entry. */
    static long mfn(long machineEntry) {
        return (machineEntry & MACHINE_FRAME_MASK) >>> 12;
    }

    static boolean present(long entry) {
        return (entry & PRESENT) != 0;
    }

    /** The entry's flags in Xen's compressed form. */
    int flags(long entry) {
        return switch (mode) {
            case FOUR_LEVEL -> (int) ((entry & 0xFFF) | ((entry >>> 40) & 0xFF_F000));
            case PAE -> (int) ((entry & 0xFFF) | ((entry >>> 32) & 0xFFFF_F000L));
            default -> (int) (entry & 0xFFF);
        };
    }

    /** The flag bits Xen refuses in a present entry at {@code level} (0 when none). */
    int disallowed(int level, long entry) {
        return flags(entry) & disallow[level];
    }
}
