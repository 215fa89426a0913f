package dev.mmutrace.trace;

/**
 * The x86 page-table entry bits (Intel SDM vol. 3 §4.3-4.5, reference/x86.md §2), named once for
 * every module: the generator builds entries with them, the MMU, Xen and lguest decode them. The
 * same positions hold at every level and in every mode; what a bit means where it is reserved
 * (PS in a PML4E, RW/US in a PAE PDPTE, NX in 4-byte entries) is {@link PagingMode}'s and the
 * walker's business.
 */
public final class EntryBits {
    public static final long PRESENT = 1L;
    public static final long RW = 1L << 1;
    public static final long USER = 1L << 2;
    public static final long PWT = 1L << 3;
    public static final long PCD = 1L << 4;
    public static final long ACCESSED = 1L << 5;
    public static final long DIRTY = 1L << 6;
    /** Page size at L2/L3 (a large leaf); the PAT bit in an L1 entry. */
    public static final long PSE = 1L << 7;
    /** Page attribute table in an L1 entry: the same bit as {@link #PSE}. */
    public static final long PAT = PSE;
    public static final long GLOBAL = 1L << 8;
    /** No-execute: bit 63 of an 8-byte entry (reserved without EFER.NXE). */
    public static final long NX = 1L << 63;

    /** Linux's _PAGE_TABLE: how a user table is hooked into its parent. */
    public static final long PAGE_TABLE = PRESENT | RW | USER | ACCESSED | DIRTY;
    /** Linux's _KERNPG_TABLE: a kernel table hooked into its parent. */
    public static final long KERNPG_TABLE = PRESENT | RW | ACCESSED | DIRTY;

    /** The frame (or table) address bits of a 4-byte (2level) entry. */
    public static final long FRAME_4 = 0xffff_f000L;
    /** The frame address bits of an 8-byte entry (pae, 4level): bits 51:12. */
    public static final long FRAME_8 = 0x000f_ffff_ffff_f000L;

    public static final int PAGE_SHIFT = 12;
    public static final long PAGE_SIZE = 1L << PAGE_SHIFT;
    /** The offset bits of a gpa within its 4 KiB page. */
    public static final long PAGE_OFFSET_MASK = PAGE_SIZE - 1;

    private EntryBits() {
    }

    /** The number of the 4 KiB page {@code address} is in: a gpa's pfn, a machine address's mfn. */
    public static long pageNumber(long address) {
        return address >>> PAGE_SHIFT;
    }

    /** Where page {@code pageNumber} starts: a pfn's gpa, an mfn's machine address. */
    public static long pageAddress(long pageNumber) {
        return pageNumber << PAGE_SHIFT;
    }

    public static boolean present(long entry) {
        return (entry & PRESENT) != 0;
    }
}
