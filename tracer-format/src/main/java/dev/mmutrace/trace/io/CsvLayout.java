package dev.mmutrace.trace.io;

import dev.mmutrace.trace.EventType;
import org.apache.commons.csv.CSVFormat;

/**
 * The columns of a CSV trace and which event uses which (docs/trace-format.md lists them with
 * their units). Every row has every column; a cell an event does not use is blank.
 */
final class CsvLayout {
    /**
     * The CSV layout written, in every file's {@code format_version} line. It counts CSV layouts
     * only: the binary format's batches (its version 2) changed nothing here. Version 2 added the
     * {@code gap} event and its {@code lost_events} column, the last one; version 1 files (the
     * first 24 columns, no gap) are still read.
     */
    static final int FORMAT_VERSION = 2;

    /** The oldest layout the reader takes. */
    static final int OLDEST_VERSION = 1;

    static final String[] COLUMNS = {"event", "cpu", "timestamp_ns", "mm", "vaddr", "entry_gpa", "value",
        "user_entry_gpa", "pgd", "root", "table_gpa", "level", "pfn", "pinned", "error_code", "ip", "scope",
        "vaddr_end", "cpus", "cpu_count", "phase", "pages", "kind", "user", "lost_events"};

    static final int EVENT = 0;
    static final int CPU = 1;
    static final int TIMESTAMP = 2;
    static final int MM = 3;
    static final int VADDR = 4;
    static final int ENTRY_GPA = 5;
    static final int VALUE = 6;
    static final int USER_ENTRY_GPA = 7;
    static final int PGD = 8;
    static final int ROOT = 9;
    static final int TABLE_GPA = 10;
    static final int LEVEL = 11;
    static final int PFN = 12;
    static final int PINNED = 13;
    static final int ERROR_CODE = 14;
    static final int IP = 15;
    static final int SCOPE = 16;
    static final int VADDR_END = 17;
    static final int CPUS = 18;
    static final int CPU_COUNT = 19;
    static final int PHASE = 20;
    static final int PAGES = 21;
    static final int KIND = 22;
    static final int USER = 23;
    static final int LOST_EVENTS = 24;

    static final String HEADER_ROW = String.join(",", COLUMNS);

    /** The columns of version 1 files: all but {@code lost_events}. */
    private static final int VERSION_1_COLUMNS = LOST_EVENTS;

    /**
     * Rows end in a bare newline, whatever the platform, so files compare byte for byte. Blank
     * lines come through as rows (and are skipped by the reader) so that its line count stays
     * the file's.
     */
    static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setRecordSeparator('\n')
            .setIgnoreEmptyLines(false)
            .build();

    /** Per event type, a bit per column the event may fill (the common ones included). */
    private static final int[] USED = new int[EventType.values().length];

    static {
        int common = bits(EVENT, CPU, TIMESTAMP);
        int entry = common | bits(ENTRY_GPA, VALUE);
        USED[EventType.SET_PTE.ordinal()] = entry;
        USED[EventType.SET_PTE_AT.ordinal()] = entry | bits(MM, VADDR);
        USED[EventType.PTEP_MODIFY_PROT.ordinal()] = entry | bits(MM, VADDR);
        USED[EventType.SET_PMD.ordinal()] = entry;
        USED[EventType.SET_PUD.ordinal()] = entry;
        USED[EventType.SET_PGD.ordinal()] = entry | bits(USER_ENTRY_GPA);
        USED[EventType.WRITE_CR3.ordinal()] = common | bits(PGD, ROOT);
        USED[EventType.PAGE_FAULT.ordinal()] = common | bits(VADDR, ERROR_CODE, IP);
        USED[EventType.PIN.ordinal()] = common | bits(TABLE_GPA, LEVEL);
        USED[EventType.UNPIN.ordinal()] = common | bits(TABLE_GPA, LEVEL);
        USED[EventType.ALLOC_PT.ordinal()] = common | bits(PFN, LEVEL, PINNED);
        USED[EventType.RELEASE_PT.ordinal()] = common | bits(PFN, LEVEL, PINNED);
        USED[EventType.FLUSH_TLB.ordinal()] = common | bits(SCOPE, VADDR, VADDR_END, CPUS, CPU_COUNT, MM);
        USED[EventType.LAZY_MMU.ordinal()] = common | bits(PHASE);
        USED[EventType.SET_STACK.ordinal()] = common | bits(VADDR, PAGES);
        USED[EventType.ACCESS.ordinal()] = common | bits(VADDR, KIND, USER);
        USED[EventType.GAP.ordinal()] = common | bits(LOST_EVENTS);
        for (EventType t : EventType.values()) {
            if (USED[t.ordinal()] == 0) {
                throw new AssertionError("no CSV columns for event kind " + t + ": add them here and in"
                        + " EventFields, CsvTraceReader and docs/trace-format.md");
            }
        }
    }

    private CsvLayout() {
    }

    /** How many columns the rows of a file of layout {@code version} have. */
    static int columns(int version) {
        return version == 1 ? VERSION_1_COLUMNS : COLUMNS.length;
    }

    /** The column row of layout {@code version}. */
    static String headerRow(int version) {
        return String.join(",", java.util.Arrays.asList(COLUMNS).subList(0, columns(version)));
    }

    /** A bit per column (bit {@code c} for column {@code c}) that {@code type} may fill. */
    static int usedColumns(EventType type) {
        return USED[type.ordinal()];
    }

    private static int bits(int... columns) {
        int b = 0;
        for (int c : columns) {
            b |= 1 << c;
        }
        return b;
    }
}
