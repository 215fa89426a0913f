package dev.mmutrace.jmh;

import dev.mmutrace.trace.text.AsciiNames;
import dev.mmutrace.trace.text.ByteScan;
import dev.mmutrace.trace.text.Hex;
import dev.mmutrace.trace.text.TextLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The least an ftrace text parser can do per line, written only to be timed beside the importer
 * (docs/performance.md): the cpu and timestamp columns, the event name and the payload's keys
 * looked up in the importer's own name table ({@link AsciiNames}), hex values read eight digits
 * at a time, one small record per line. Nothing is translated or validated, a malformed line is
 * not noticed, and only the names and keys of the bench's fork-exec-exit text are known; an
 * unknown name skips the line.
 */
final class MinimalFtraceParse {
    /**
     * One line's event: its name's number, and the first four values of its payload with their
     * keys' numbers, five bits each in {@code keys} (the first lowest).
     */
    record Line(int name, int cpu, long timestampNs, int keys, long first, long second, long third, long fourth) {
    }

    private static final List<String> NAMES = List.of("xen_mmu_set_pte_at", "xen_mmu_alloc_ptpage",
            "xen_mmu_release_ptpage", "xen_mmu_set_pmd", "xen_mmu_set_pud", "xen_mmu_set_p4d", "page_fault_user",
            "xen_mc_batch", "xen_mmu_pgd_pin", "xen_mmu_pgd_unpin", "xen_mmu_flush_tlb", "xen_mmu_write_cr3");
    private static final List<String> KEYS = List.of("mm", "addr", "ptep", "pteval", "raw", "pfn", "level", "pmdp",
            "pmdval", "pudp", "pudval", "p4dp", "p4dval", "user_p4dp", "address", "ip", "error_code", "pgd",
            "pinned", "unpinned", "kernel", "user", "cr3", "start", "batch", "LAZY_MMU", "LAZY_NONE");

    private final AsciiNames<Integer> names = numbered(NAMES);
    private final AsciiNames<Integer> keys = numbered(KEYS);
    private final long[] values = new long[4];
    private final int[] equalsAt = new int[1];

    /** Parses every line of {@code file}, handing each record to {@code out}; the lines read. */
    long parse(Path file, Consumer<Line> out) {
        long lines = 0;
        try (TextLines in = new TextLines(Files.newInputStream(file))) {
            while (in.next()) {
                lines++;
                Line line = line(in.bytes(), in.start(), in.end());
                if (line != null) {
                    out.accept(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    /** Each word looked up as its number in {@code words}, with the importer's own name table. */
    private static AsciiNames<Integer> numbered(List<String> words) {
        Integer[] numbers = new Integer[words.size()];
        Arrays.setAll(numbers, w -> w);
        return new AsciiNames<>(numbers, words::get);
    }

    private Line line(byte[] b, int from, int to) {
        int open = ByteScan.indexOf(b, '[', from, to);
        if (open < 0) {
            return null;
        }
        int i = open + 1;
        int cpu = 0;
        while (b[i] != ']') {
            cpu = cpu * 10 + b[i++] - '0';
        }
        i += 2;
        if (b[i] < '0' || b[i] > '9') { // the flags column
            while (b[i] != ' ') {
                i++;
            }
            i++;
        }
        long seconds = 0;
        while (b[i] != '.') {
            seconds = seconds * 10 + b[i++] - '0';
        }
        long fraction = 0;
        int digits = 0;
        for (i++; b[i] != ':'; i++, digits++) {
            fraction = fraction * 10 + b[i] - '0';
        }
        for (; digits < 9; digits++) {
            fraction *= 10;
        }
        int nameEnd = ByteScan.indexOf(b, ':', i + 2, to);
        Integer name = names.of(b, i + 2, nameEnd);
        if (name == null) {
            return null;
        }
        int pendingKey = -1;
        int fields = 0;
        int keyNumbers = 0;
        values[0] = values[1] = values[2] = values[3] = 0;
        for (i = nameEnd + 1; i < to && fields < 4; i++) {
            if (b[i] == ' ') {
                continue;
            }
            int start = b[i] == '(' ? i + 1 : i;
            i = ByteScan.spaceOrEnd(b, i, to, equalsAt);
            int end = b[i - 1] == ')' ? i - 1 : i;
            int eq = equalsAt[0];
            if (eq >= 0) { // key=0x... in page_fault_*
                Integer key = keys.of(b, start, eq);
                int v = b[eq + 1] == '0' && b[eq + 2] == 'x' ? eq + 3 : eq + 1;
                if (key != null && Hex.isNumber(b, v, end)) {
                    keyNumbers |= key << (5 * fields);
                    values[fields++] = Hex.value(b, v, end);
                }
            } else if (pendingKey >= 0 && Hex.isNumber(b, start, end)) {
                keyNumbers |= pendingKey << (5 * fields);
                values[fields++] = Hex.value(b, start, end);
                pendingKey = -1;
            } else {
                Integer key = keys.of(b, start, end);
                pendingKey = key == null ? -1 : key;
            }
        }
        return new Line(name, cpu, seconds * 1_000_000_000L + fraction, keyNumbers, values[0], values[1], values[2],
                values[3]);
    }
}
