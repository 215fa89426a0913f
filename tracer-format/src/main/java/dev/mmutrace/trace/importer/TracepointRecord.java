package dev.mmutrace.trace.importer;

/**
 * One tracepoint hit as any importer reads it: its name, cpu, timestamp, task and fields by the
 * names its format gives them, before anything is made of it. The translation to trace events
 * ({@link XenTranslation}) sees only this, so an importer for another tool writes one of these and
 * nothing else.
 *
 * <p>The subtle thing: an importer may hand out one object for every record, refilled as it
 * advances (the text importer does, to allocate nothing per line), so a record is read before the
 * importer moves on, never kept.
 */
public interface TracepointRecord {

    /** The name when the translation knows it, else {@link Tracepoint#OTHER}. */
    Tracepoint tracepoint();

    /** The name as the kernel spells it. */
    String name();

    int cpu();

    /** Nanoseconds as the trace's clock counts them. */
    long timestampNs();

    /** The task the event fired in (0 for the idle task), or -1 when the importer did not see it. */
    int pid();

    /** Whether the record holds the field. */
    boolean has(Field field);

    /**
     * The field's value as the unsigned 64-bit number the kernel stored (signed fields
     * sign-extended); a {@link FieldException} when it is missing or does not read as a number.
     */
    long number(Field field);

    /**
     * Whether the field was printed as a kernel symbol ({@code %ps} text), so its number is lost;
     * never true for a binary record.
     */
    boolean isSymbol(Field field);

    /**
     * Whether entry values ({@code pteval}, {@code pmdval}, ...) are the raw ones the kernel
     * stored (machine frames in a Xen PV guest) rather than {@code pte_val()}'s pfn-based ones,
     * which only the kernel's own print format shows.
     */
    boolean rawEntryValues();

    /** The record's fields as text, for error messages. */
    String describe();
}
