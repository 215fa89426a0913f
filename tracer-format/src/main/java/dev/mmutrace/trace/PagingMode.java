package dev.mmutrace.trace;

import java.util.Optional;

/**
 * The three x86 paging modes a trace can be in, with their geometry: entry size, how many vaddr
 * bits each level indexes, where large pages may be, the address bits translated. Levels are
 * numbered as Xen does: L1 is the page table (Linux pte), the top is L2 (2level), L3 (pae, the
 * 4-entry PDPT) or L4 (4level). Every module asks here (the entry bits are {@link EntryBits}), so
 * a change to a mode's geometry is one edit.
 *
 * <p>The subtle thing: pae's top table is a 32-byte PDPT of 4 entries, 32-byte aligned rather
 * than page aligned, whose entries carry no RW, US, NX or A bit.
 */
public enum PagingMode implements WireNamed {
    TWO_LEVEL("2level", 4, 2, 0xC000_0000L),
    PAE("pae", 8, 3, 0xC000_0000L),
    FOUR_LEVEL("4level", 8, 4, 0xffff_8880_0000_0000L);

    private final String wireName;
    private final int entryBytes;
    private final int levels;
    private final long defaultPageOffset;

    PagingMode(String wireName, int entryBytes, int levels, long defaultPageOffset) {
        this.wireName = wireName;
        this.entryBytes = entryBytes;
        this.levels = levels;
        this.defaultPageOffset = defaultPageOffset;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    /** Size of one page-table entry: 4 bytes in 2level, 8 in pae and 4level. */
    public int entryBytes() {
        return entryBytes;
    }

    /** Entries in one 4 KiB table page (the PAE top table uses only the first 4). */
    public int entriesPerTable() {
        return 4096 / entryBytes;
    }

    /** The level of the top table: 2, 3 or 4. */
    public int levels() {
        return levels;
    }

    /** log2 of {@link #entryBytes()}: 2 or 3. */
    public int entryShift() {
        return entryBytes == 4 ? 2 : 3;
    }

    /** How many vaddr bits a table at {@code level} indexes: 10 in 2level, 9 otherwise, 2 for pae's PDPT. */
    public int indexBits(int level) {
        if (this == TWO_LEVEL) {
            return 10;
        }
        return this == PAE && level == levels ? 2 : 9;
    }

    /** The vaddr bit where {@code level}'s index starts (12, 21 or 22, 30, 39): log2 of what one entry maps. */
    public int shift(int level) {
        return EntryBits.PAGE_SHIFT + (level - 1) * (this == TWO_LEVEL ? 10 : 9);
    }

    /** Entries in a table at {@code level}: 4 for pae's PDPT, else {@link #entriesPerTable()}. */
    public int entries(int level) {
        return 1 << indexBits(level);
    }

    /** The slot of {@code vaddr} in a table at {@code level}. */
    public int index(int level, long vaddr) {
        return (int) ((vaddr >>> shift(level)) & (entries(level) - 1));
    }

    /** The bytes of vaddr space one entry at {@code level} maps. */
    public long span(int level) {
        return 1L << shift(level);
    }

    /**
     * Whether a PS=1 entry at {@code level} may be a large leaf: L2 (4 MiB in 2level, with
     * CR4.PSE; 2 MiB otherwise) and, in 4level, L3 (1 GiB).
     */
    public boolean largePagePossible(int level) {
        return level == 2 || (this == FOUR_LEVEL && level == 3);
    }

    /** Whether entries are 8 bytes and so have an NX bit (63). */
    public boolean hasNx() {
        return entryBytes == 8;
    }

    /** Whether entries at {@code level} carry RW, US, NX and A: all but pae's PDPTEs. */
    public boolean carriesRights(int level) {
        return !(this == PAE && level == levels);
    }

    /** The frame (or table) address bits of an entry: {@link EntryBits#FRAME_4} or {@link EntryBits#FRAME_8}. */
    public long frameMask() {
        return entryBytes == 4 ? EntryBits.FRAME_4 : EntryBits.FRAME_8;
    }

    /** The pfn an entry points at (for a large leaf, its first frame). */
    public long pfn(long entry) {
        return (entry & frameMask()) >>> EntryBits.PAGE_SHIFT;
    }

    /** The vaddr bits the mode translates: 48 in 4level, 32 otherwise. */
    public long linear(long vaddr) {
        return this == FOUR_LEVEL ? vaddr & 0x0000_ffff_ffff_ffffL : vaddr & 0xffff_ffffL;
    }

    /** The canonical form of a vaddr: 4level sign-extends bit 47, the 32-bit modes keep 32 bits. */
    public long canonical(long vaddr) {
        return this == FOUR_LEVEL ? (vaddr << 16) >> 16 : vaddr & 0xffff_ffffL;
    }

    /** The gpa of the top table holding slot {@code slotGpa}: its page, or pae's 32-byte PDPT. */
    public long topTableGpa(long slotGpa) {
        return slotGpa & (this == PAE ? ~0x1fL : ~EntryBits.PAGE_OFFSET_MASK);
    }

    /** The index of the entry at {@code slotGpa} in its table page. */
    public int slotIndex(long slotGpa) {
        return (int) ((slotGpa & EntryBits.PAGE_OFFSET_MASK) >>> entryShift());
    }

    /** The gpa of entry {@code index} of the table at {@code tableGpa}. */
    public long slotGpa(long tableGpa, int index) {
        return tableGpa + ((long) index << entryShift());
    }

    /** Linux's PAGE_OFFSET for the mode when the header gives none. */
    public long defaultPageOffset() {
        return defaultPageOffset;
    }

    public static Optional<PagingMode> fromWireName(String name) {
        return WireNamed.find(values(), name);
    }

    @Override
    public String toString() {
        return wireName;
    }
}
