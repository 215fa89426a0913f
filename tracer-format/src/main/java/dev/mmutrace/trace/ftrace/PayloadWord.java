package dev.mmutrace.trace.ftrace;

/**
 * The key words (and lone words such as {@code kernel} or {@code LAZY_MMU}) the importer looks
 * for in an event's payload, spelled as the kernel's print formats and trace-cmd's fallback
 * spell them. A payload's keys are looked up by their bytes ({@link dev.mmutrace.trace.text.AsciiNames}),
 * without making strings.
 */
enum PayloadWord {
    ADDR("addr"),
    ADDRESS("address"),
    CR3("cr3"),
    END("end"),
    ERROR_CODE("error_code"),
    FLAGS("flags"),
    FLUSH("flush"),
    IP("ip"),
    KERNEL("kernel"),
    LAZY_CPU("LAZY_CPU"),
    LAZY_MMU("LAZY_MMU"),
    LAZY_NONE("LAZY_NONE"),
    LEVEL("level"),
    MM("mm"),
    MODE("mode"),
    NCPUS("ncpus"),
    NO("no"),
    P4DP("p4dp"),
    P4DVAL("p4dval"),
    PFN("pfn"),
    PGD("pgd"),
    PGDP("pgdp"),
    PGDVAL("pgdval"),
    PINNED("pinned"),
    PMDP("pmdp"),
    PMDVAL("pmdval"),
    PTEP("ptep"),
    PTEVAL("pteval"),
    PUDP("pudp"),
    PUDVAL("pudval"),
    UNPINNED("unpinned"),
    USER("user"),
    USER_P4DP("user_p4dp"),
    USER_PGDP("user_pgdp"),
    YES("yes");

    private final String text;

    PayloadWord(String text) {
        this.text = text;
    }

    /** The word as printed; also the field an error message names. */
    String text() {
        return text;
    }
}
