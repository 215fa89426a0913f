package dev.mmutrace.replay.xen;

import dev.mmutrace.trace.EntryBits;
import dev.mmutrace.trace.PagingMode;

/**
 * The Xen 3.4 disallow masks of one paging mode and Xen's view of its geometry (the mode's
 * geometry and bits are {@link PagingMode}'s and {@link EntryBits}').
 *
 * <p>Xen checks an entry's flags in its own compressed form (low 12 bits of the entry, plus the
 * high bits folded down: bits 52..63 to 12..23 on x86-64, bits 44..63 to 12..31 on 32-bit PAE),
 * and prints refused bits in that form ("Bad L1 flags %x"); this class does the same so the
 * messages match Xen's. 2level is not a mode Xen 3.4 runs PV guests in (non-PAE 32-bit Xen
 * was gone); for 2level traces the 32-bit masks are applied to the low 12 bits, and the docs say
 * so.
 */
final class EntryRules {
    /** PAT, PCD, PWT: the cache attributes only a domain with I/O rights may set in an L1. */
    static final int CACHE_ATTRS = (int) (EntryBits.PAT | EntryBits.PCD | EntryBits.PWT);
    static final int FLAG_PSE = (int) EntryBits.PSE;
    static final int FLAG_GLOBAL = (int) EntryBits.GLOBAL;

    /** Frame bits of an entry in Xen's machine view: 8-byte wide in every mode (mfns may exceed 32-bit frame fields). */
    static final long MACHINE_FRAME_MASK = EntryBits.FRAME_8;

    private final PagingMode mode;
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
                base = 0xFF80_0198 & ~(nx ? 1 << 23 : 0);
                disallow[1] = base & ~FLAG_GLOBAL;
                disallow[2] = base & ~FLAG_PSE;
                disallow[3] = base;
                disallow[4] = base;
            }
            case PAE -> {
                base = 0xFFFF_F198 & ~(nx ? 1 << 31 : 0);
                disallow[1] = base;
                disallow[2] = base & ~FLAG_PSE;
                disallow[3] = 0xFFFF_F1FE;
            }
            default -> {
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
        return mode.entries(level);
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
        return mode.index(level, vaddr);
    }

    /** The vaddr bytes one entry of a table at {@code level} maps. */
    long span(int level) {
        return mode.span(level);
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
        return mode.pfn(entry);
    }

    long guestFrameMask() {
        return mode.frameMask();
    }

    /** The mfn in a machine (Xen-view) entry. */
    static long mfn(long machineEntry) {
        return (machineEntry & MACHINE_FRAME_MASK) >>> EntryBits.PAGE_SHIFT;
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
