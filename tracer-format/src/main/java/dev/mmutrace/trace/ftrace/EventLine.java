package dev.mmutrace.trace.ftrace;

import dev.mmutrace.trace.text.ByteScan;
import dev.mmutrace.trace.text.Decimal;
import java.nio.charset.StandardCharsets;

/**
 * The context part of one ftrace text line, found by a hand scan (no regex per line):
 * {@code <comm>-<pid> [(<tgid>)] [<cpu>] [<flags>] <seconds>.<fraction>: <event>: <payload>}.
 *
 * <p>The subtle thing: the task name is right-aligned and may itself hold spaces and dashes
 * ({@code CPU 5/KVM-4145}), so the scan anchors on the {@code [cpu]} column and walks back to the
 * last dash before it, never forward from the start of the line. One instance is reused for every
 * line of a file; {@link #scan} returns false for lines that are not events (comments, the
 * trace-cmd preamble, blank lines). It reads the line's bytes: every column it looks for is ASCII,
 * which no byte of a multi-byte UTF-8 character (in a task name, say) can be.
 *
 * <p>Consecutive lines mostly come from one task on one cpu, so their context up to the timestamp
 * ({@code       mmutrace-4242    [000] d.... }) is byte for byte the same: when a line starts with
 * the bytes the event line before it had before its timestamp, its cpu and pid are that line's and
 * its timestamp starts at the same offset, as the scan would find (every test the scan makes before
 * the timestamp reads only those bytes), so only the timestamp and what follows are scanned.
 */
final class EventLine {
    byte[] line;
    int cpu;
    int pid;
    long timestampNs;
    int nameStart;
    int nameEnd;
    int payloadStart;
    int payloadEnd;
    /** Where the {@code ]} of the cpu column {@link #findCpuColumn} found is. */
    private int cpuColumnEnd;
    /**
     * The last event line scanned: its text, start and the length of its context before the
     * timestamp (0 for none yet); its cpu and pid are still in {@link #cpu} and {@link #pid}.
     */
    private byte[] contextText;
    private int contextFrom;
    private int contextLength;

    /** Scans {@code text[from, n)}; false when it is not an event line. */
    boolean scan(byte[] text, int from, int n) {
        line = text;
        int k = contextLength;
        if (k > 0 && text == contextText && from + k <= n && ByteScan.same(text, contextFrom, from, k)) {
            int tokEnd = timestamp(text, from + k, n);
            if (tokEnd >= 0) {
                contextFrom = from;
                return nameAndPayload(text, tokEnd, n);
            }
            // no timestamp where the line before had one: scanned from the start, as any line
        }
        contextLength = 0;
        int open = findCpuColumn(text, from, n);
        if (open < 0) {
            return false;
        }
        int close = cpuColumnEnd;
        // any number of digits: the cpu is only checked against the most a trace holds
        cpu = (int) Decimal.atMost(text, open + 1, close, 1_000_001);
        if (!taskBefore(text, from, open)) {
            return false;
        }
        int i = skipSpaces(text, close + 1, n);
        // optional flags column (d...., .N.., absent in trace-cmd <= 3.2), then the timestamp
        int tokEnd = timestamp(text, i, n);
        if (tokEnd < 0) {
            i = skipSpaces(text, tokenEnd(text, i, n), n);
            tokEnd = timestamp(text, i, n);
            if (tokEnd < 0) {
                return false;
            }
        }
        if (!nameAndPayload(text, tokEnd, n)) {
            return false;
        }
        contextText = text;
        contextFrom = from;
        contextLength = i - from;
        return true;
    }

    /** The event's name and payload after the timestamp that ends at {@code tokEnd}; false when there is no name. */
    private boolean nameAndPayload(byte[] text, int tokEnd, int n) {
        int i = skipSpaces(text, tokEnd, n);
        int colon = indexOf(text, ':', i, n);
        if (colon < 0 || colon <= i) {
            return false;
        }
        nameStart = i;
        nameEnd = colon;
        int p = skipSpaces(text, colon + 1, n);
        int e = n;
        while (e > p && text[e - 1] == ' ') {
            e--;
        }
        payloadStart = p;
        payloadEnd = e;
        return true;
    }

    /** The event's name as printed, for the rare lines that need it as text. */
    String eventName() {
        return new String(line, nameStart, nameEnd - nameStart, StandardCharsets.UTF_8);
    }

    /** The first {@code [ddd]} preceded by a space: the cpu column; its {@code ]} goes to {@link #cpuColumnEnd}. */
    private int findCpuColumn(byte[] s, int lineStart, int n) {
        int from = lineStart;
        while (true) {
            int open = indexOf(s, '[', from, n);
            if (open < 0) {
                return -1;
            }
            int j = Decimal.digitsEnd(s, open + 1, n);
            if (j > open + 1 && j < n && s[j] == ']' && open > lineStart && s[open - 1] == ' ') {
                cpuColumnEnd = j;
                return open;
            }
            from = open + 1;
        }
    }

    private static int indexOf(byte[] s, char c, int from, int n) {
        return ByteScan.indexOf(s, c, from, n);
    }

    /** Checks {@code comm-pid} (and an optional {@code (tgid)}) end right before the cpu column; keeps the pid. */
    private boolean taskBefore(byte[] s, int lineStart, int open) {
        int i = open - 1;
        while (i >= lineStart && s[i] == ' ') {
            i--;
        }
        if (i >= lineStart && s[i] == ')') {
            int o = i;
            while (o >= lineStart && s[o] != '(') {
                o--;
            }
            if (o < lineStart) {
                return false;
            }
            i = o - 1;
            while (i >= lineStart && s[i] == ' ') {
                i--;
            }
        }
        int digitsEnd = i;
        while (i >= lineStart && Decimal.isDigit(s[i])) {
            i--;
        }
        pid = (int) Decimal.atMost(s, i + 1, digitsEnd + 1, Integer.MAX_VALUE);
        return i < digitsEnd && i >= lineStart && s[i] == '-';
    }

    /**
     * Reads the timestamp token at {@code s[i...]} into {@link #timestampNs}; returns where the
     * token ends, or -1 when it is not a timestamp. The usual {@code <digits>.<1 to 9 digits>:}
     * is read in one pass; any other shape takes the general test and reading below, which give
     * the same value for the usual one.
     */
    private int timestamp(byte[] s, int i, int n) {
        if (i == n || !(Decimal.isDigit(s[i]) || s[i] == '.')) {
            return -1; // the flags column: a timestamp starts with a digit or its dot
        }
        int k = i;
        long secs = 0;
        while (k < n && Decimal.isDigit(s[k])) {
            secs = secs * 10 + (s[k] - '0');
            k++;
        }
        if (k > i && k < n && s[k] == '.') {
            int f = k + 1;
            long frac = 0;
            while (f < n && Decimal.isDigit(s[f])) {
                frac = frac * 10 + (s[f] - '0');
                f++;
            }
            int digits = f - k - 1;
            if (digits >= 1 && digits <= 9 && f < n && s[f] == ':' && (f + 1 == n || s[f + 1] == ' ' || s[f + 1] == '\t')) {
                timestampNs = secs * 1_000_000_000L + frac * NS_PER_FRACTION_UNIT[digits];
                return f + 1;
            }
        }
        return anyTimestamp(s, i, n);
    }

    /** {@link #timestamp} for any shape: a counter, more than nine digits of fraction, or none at all. */
    private int anyTimestamp(byte[] s, int i, int n) {
        int tokEnd = tokenEnd(s, i, n);
        if (!isTimestamp(s, i, tokEnd)) {
            return -1;
        }
        timestampNs = parseTimestamp(s, i, tokEnd - 1);
        return tokEnd;
    }

    /** What one unit of a fraction of {@code d} digits is in ns: 10^(9 - d). */
    private static final long[] NS_PER_FRACTION_UNIT = {
        1_000_000_000L, 100_000_000L, 10_000_000L, 1_000_000L, 100_000L, 10_000L, 1_000L, 100L, 10L, 1L
    };

    private static boolean isTimestamp(byte[] s, int from, int to) {
        if (to - from < 2 || s[to - 1] != ':') {
            return false;
        }
        boolean digit = false;
        for (int k = from; k < to - 1; k++) {
            byte c = s[k];
            if (Decimal.isDigit(c)) {
                digit = true;
            } else if (c != '.') {
                return false;
            }
        }
        return digit;
    }

    /** {@code 2616.730120} (us), {@code 6084.533748493} (ns) or a plain counter, as ns. */
    private static long parseTimestamp(byte[] s, int from, int to) {
        int dot = from;
        while (dot < to && s[dot] != '.') {
            dot++;
        }
        long secs = Decimal.value(s, from, dot);
        if (dot == to) {
            return secs; // counter clock: taken as is
        }
        // digits beyond the ninth (below a nanosecond) are dropped
        int fracEnd = Math.min(to, dot + 1 + 9);
        long frac = Decimal.value(s, dot + 1, fracEnd);
        for (int digits = fracEnd - dot - 1; digits < 9; digits++) {
            frac *= 10;
        }
        return secs * 1_000_000_000L + frac;
    }

    private static int skipSpaces(byte[] s, int i, int n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static int tokenEnd(byte[] s, int i, int n) {
        while (i < n && s[i] != ' ' && s[i] != '\t') {
            i++;
        }
        return i;
    }
}
