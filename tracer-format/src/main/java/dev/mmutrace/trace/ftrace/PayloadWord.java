package dev.mmutrace.trace.ftrace;

import dev.mmutrace.trace.text.ByteScan;
import java.nio.charset.StandardCharsets;

/**
 * The key words (and lone words such as {@code kernel} or {@code LAZY_MMU}) the importer looks
 * for in an event's payload, spelled as the kernel's print formats and trace-cmd's fallback
 * spell them. A payload's keys are compared with them as numbers, without making strings.
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
    private final int length;
    private final long head;
    private final long tail;

    PayloadWord(String text) {
        this.text = text;
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        this.length = bytes.length;
        this.head = ByteScan.head(bytes, 0, length);
        this.tail = ByteScan.tail(bytes, 0, length);
    }

    /** The word as printed; also the field an error message names. */
    String text() {
        return text;
    }

    /**
     * Whether a token of {@code length} bytes whose first and last eight bytes are {@code head}
     * and {@code tail} ({@link ByteScan#head}, {@link ByteScan#tail}) is this word: for words of
     * up to 16 bytes, as all of these are, the two numbers hold every byte.
     */
    boolean is(int length, long head, long tail) {
        return this.length == length && this.head == head && this.tail == tail;
    }
}
