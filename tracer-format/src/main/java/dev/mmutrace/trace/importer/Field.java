package dev.mmutrace.trace.importer;

/**
 * The fields of the tracepoints the translation reads, by the names their formats give them
 * ({@code TP_STRUCT__entry}, tracepoints.md §1-§2), with how the kernel's print format shows each:
 * a text importer needs the radix, a binary one only the name.
 */
public enum Field {
    PTEP("ptep", Radix.POINTER),
    PTEVAL("pteval", Radix.HEX),
    PMDP("pmdp", Radix.POINTER),
    PMDVAL("pmdval", Radix.HEX),
    PUDP("pudp", Radix.POINTER),
    PUDVAL("pudval", Radix.HEX),
    P4DP("p4dp", Radix.POINTER),
    USER_P4DP("user_p4dp", Radix.POINTER),
    P4DVAL("p4dval", Radix.HEX),
    PGDP("pgdp", Radix.POINTER),
    USER_PGDP("user_pgdp", Radix.POINTER),
    PGDVAL("pgdval", Radix.HEX),
    MM("mm", Radix.POINTER),
    PGD("pgd", Radix.POINTER),
    ADDR("addr", Radix.HEX),
    END("end", Radix.HEX),
    PFN("pfn", Radix.HEX),
    LEVEL("level", Radix.DECIMAL),
    PINNED("pinned", Radix.DECIMAL),
    KERNEL("kernel", Radix.DECIMAL),
    CR3("cr3", Radix.HEX),
    NCPUS("ncpus", Radix.DECIMAL),
    MODE("mode", Radix.DECIMAL),
    FLAGS("flags", Radix.HEX),
    FLUSH("flush", Radix.DECIMAL),
    ADDRESS("address", Radix.HEX),
    IP("ip", Radix.HEX),
    ERROR_CODE("error_code", Radix.HEX);

    /** How the kernel's print format writes a field's value. */
    public enum Radix {
        /** {@code %p}: hex without {@code 0x}, {@code (null)} for 0, or a hash since Linux 4.15. */
        POINTER,
        /** {@code %lx}, {@code %llx}, {@code 0x%lx}. */
        HEX,
        /** {@code %d}, {@code %u}, and booleans and enums printed as words. */
        DECIMAL
    }

    private final String text;
    private final Radix radix;

    Field(String text, Radix radix) {
        this.text = text;
        this.radix = radix;
    }

    /** The name the format gives the field; also the field error messages name. */
    public String text() {
        return text;
    }

    public Radix radix() {
        return radix;
    }
}
