package dev.mmutrace.trace.io;

import dev.mmutrace.trace.EventType;
import dev.mmutrace.trace.proto.Event;
import dev.mmutrace.trace.proto.EventBatch;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The columns of an {@code EventBatch} (version 2 of the binary format, docs/trace-format.md):
 * each column's field number, the field name error messages use, and how its values are coded on
 * the wire. {@link #of(EventType)} says which columns an event of each kind takes a value from,
 * in the order its record's constructor wants them; the writer and the reader both walk that
 * list, so the two can only agree.
 */
enum BatchColumn {
    KIND(EventBatch.KIND_FIELD_NUMBER, "event", Coding.PLAIN),
    CPU(EventBatch.CPU_FIELD_NUMBER, "cpu", Coding.PLAIN),
    TIMESTAMP(EventBatch.TIMESTAMP_NS_FIELD_NUMBER, "timestamp_ns", Coding.TIMESTAMP),
    ENTRY_GPA(EventBatch.ENTRY_GPA_FIELD_NUMBER, "entry_gpa", Coding.DELTA),
    /** Spelt as field {@code value} (varints) or {@code value_fixed}, whichever is smaller. */
    VALUE(EventBatch.VALUE_FIELD_NUMBER, "value", Coding.PLAIN),
    MM(EventBatch.MM_FIELD_NUMBER, "mm", Coding.DELTA),
    VADDR(EventBatch.VADDR_FIELD_NUMBER, "vaddr", Coding.DELTA),
    USER_ENTRY_GPA(EventBatch.USER_ENTRY_GPA_FIELD_NUMBER, "user_entry_gpa", Coding.PLUS_ONE),
    PGD(EventBatch.PGD_FIELD_NUMBER, "pgd", Coding.DELTA),
    ROOT(EventBatch.ROOT_FIELD_NUMBER, "root", Coding.PLAIN),
    ERROR_CODE(EventBatch.ERROR_CODE_FIELD_NUMBER, "error_code", Coding.PLAIN),
    IP(EventBatch.IP_FIELD_NUMBER, "ip", Coding.DELTA),
    TABLE_GPA(EventBatch.TABLE_GPA_FIELD_NUMBER, "table_gpa", Coding.DELTA),
    LEVEL(EventBatch.LEVEL_FIELD_NUMBER, "level", Coding.PLAIN),
    PFN(EventBatch.PFN_FIELD_NUMBER, "pfn", Coding.DELTA),
    PINNED(EventBatch.PINNED_FIELD_NUMBER, "pinned", Coding.PLAIN),
    SCOPE(EventBatch.SCOPE_FIELD_NUMBER, "scope", Coding.PLAIN),
    FLUSH_VADDR(EventBatch.FLUSH_VADDR_FIELD_NUMBER, "vaddr", Coding.PLUS_ONE),
    VADDR_END(EventBatch.VADDR_END_FIELD_NUMBER, "vaddr_end", Coding.PLUS_ONE),
    CPUS(EventBatch.CPUS_FIELD_NUMBER, "cpus", Coding.PLAIN),
    CPU_COUNT(EventBatch.CPU_COUNT_FIELD_NUMBER, "cpu_count", Coding.PLAIN),
    FLUSH_MM(EventBatch.FLUSH_MM_FIELD_NUMBER, "mm", Coding.PLUS_ONE),
    PHASE(EventBatch.PHASE_FIELD_NUMBER, "phase", Coding.PLAIN),
    PAGES(EventBatch.PAGES_FIELD_NUMBER, "pages", Coding.PLAIN),
    ACCESS_KIND(EventBatch.ACCESS_KIND_FIELD_NUMBER, "kind", Coding.PLAIN),
    USER(EventBatch.USER_FIELD_NUMBER, "user", Coding.PLAIN),
    LOST_EVENTS(EventBatch.LOST_EVENTS_FIELD_NUMBER, "lost_events", Coding.PLUS_ONE);

    /** How a column's values stand on the wire (the .proto's comments say the same). */
    enum Coding {
        /** The value itself, a varint. */
        PLAIN,
        /** Zigzag of the difference from the column's previous value in the batch (0 before the first). */
        DELTA,
        /** An optional field: 0 absent, n the value n - 1; absent is -1 in the records, so n is the value + 1. */
        PLUS_ONE,
        /** 0 absent, n > 0 the zigzag-decoded n - 1 added to the previous recorded timestamp. */
        TIMESTAMP
    }

    /** An optional field's absent value in the columns, before the +1 coding ({@link Coding#PLUS_ONE}). */
    static final long ABSENT = -1L;

    /** The field number of the {@link #VALUE} column's fixed64 spelling. */
    static final int VALUE_FIXED_FIELD = EventBatch.VALUE_FIXED_FIELD_NUMBER;

    private static final BatchColumn[] BY_FIELD = new BatchColumn[32];
    private static final Map<EventType, List<BatchColumn>> OF_KIND = new EnumMap<>(EventType.class);
    /** One more than the largest kind number: the size of an array indexed by kind number. */
    static final int KIND_NUMBERS = 64;
    private static final EventType[] KIND_BY_NUMBER = new EventType[KIND_NUMBERS];
    private static final int[] NUMBER_OF_KIND = new int[EventType.values().length];

    static {
        for (BatchColumn c : values()) {
            BY_FIELD[c.fieldNumber] = c;
        }
        OF_KIND.put(EventType.SET_PTE, List.of(ENTRY_GPA, VALUE));
        OF_KIND.put(EventType.SET_PTE_AT, List.of(MM, VADDR, ENTRY_GPA, VALUE));
        OF_KIND.put(EventType.PTEP_MODIFY_PROT, List.of(MM, VADDR, ENTRY_GPA, VALUE));
        OF_KIND.put(EventType.SET_PMD, List.of(ENTRY_GPA, VALUE));
        OF_KIND.put(EventType.SET_PUD, List.of(ENTRY_GPA, VALUE));
        OF_KIND.put(EventType.SET_PGD, List.of(ENTRY_GPA, VALUE, USER_ENTRY_GPA));
        OF_KIND.put(EventType.WRITE_CR3, List.of(PGD, ROOT));
        OF_KIND.put(EventType.PAGE_FAULT, List.of(VADDR, ERROR_CODE, IP));
        OF_KIND.put(EventType.PIN, List.of(TABLE_GPA, LEVEL));
        OF_KIND.put(EventType.UNPIN, List.of(TABLE_GPA, LEVEL));
        OF_KIND.put(EventType.ALLOC_PT, List.of(PFN, LEVEL, PINNED));
        OF_KIND.put(EventType.RELEASE_PT, List.of(PFN, LEVEL, PINNED));
        OF_KIND.put(EventType.FLUSH_TLB, List.of(SCOPE, FLUSH_VADDR, VADDR_END, CPUS, CPU_COUNT, FLUSH_MM));
        OF_KIND.put(EventType.LAZY_MMU, List.of(PHASE));
        OF_KIND.put(EventType.SET_STACK, List.of(VADDR, PAGES));
        OF_KIND.put(EventType.ACCESS, List.of(VADDR, ACCESS_KIND, USER));
        OF_KIND.put(EventType.GAP, List.of(LOST_EVENTS));
        for (EventType t : EventType.values()) {
            if (!OF_KIND.containsKey(t)) {
                throw new AssertionError("no batch columns for event kind " + t + ": add them here, in"
                        + " EventFields (and its sinks for a new field), EventBatchDecoder, EventMessages and the .proto");
            }
            // Event's oneof cases carry the same names as the event types, so a kind's number
            // is its field number in Event: one numbering for both versions of the format
            int number = Event.KindCase.valueOf(t.name()).getNumber();
            KIND_BY_NUMBER[number] = t;
            NUMBER_OF_KIND[t.ordinal()] = number;
        }
    }

    private final int fieldNumber;
    private final String field;
    private final Coding coding;

    BatchColumn(int fieldNumber, String field, Coding coding) {
        this.fieldNumber = fieldNumber;
        this.field = field;
        this.coding = coding;
    }

    int fieldNumber() {
        return fieldNumber;
    }

    /** The field as error messages and docs/trace-format.md name it. */
    String field() {
        return field;
    }

    Coding coding() {
        return coding;
    }

    /** The columns an event of {@code type} takes a value from, beyond kind, cpu and timestamp. */
    static List<BatchColumn> of(EventType type) {
        return OF_KIND.get(type);
    }

    /** The column with field number {@code number}, or null for a number no column has. */
    static BatchColumn byField(int number) {
        return number >= 0 && number < BY_FIELD.length ? BY_FIELD[number] : null;
    }

    /** The number the kind column holds for {@code type}. */
    static int kindNumber(EventType type) {
        return NUMBER_OF_KIND[type.ordinal()];
    }

    /** The type of kind number {@code number}, or null for a number no kind has. */
    static EventType kindOf(long number) {
        return number >= 0 && number < KIND_BY_NUMBER.length ? KIND_BY_NUMBER[(int) number] : null;
    }
}
