package dev.mmutrace.trace;

import java.util.Optional;

/**
 * The three x86 paging modes a trace can be in. Levels are numbered as Xen does: L1 is the page
 * table (Linux pte), the top is L2 (2level), L3 (pae, the 4-entry PDPT) or L4 (4level).
 */
public enum PagingMode {
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

    /** Linux's PAGE_OFFSET for the mode when the header gives none. */
    public long defaultPageOffset() {
        return defaultPageOffset;
    }

    public static Optional<PagingMode> fromWireName(String name) {
        for (PagingMode m : values()) {
            if (m.wireName.equals(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
