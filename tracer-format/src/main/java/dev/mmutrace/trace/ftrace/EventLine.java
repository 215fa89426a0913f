package dev.mmutrace.trace.ftrace;

/**
 * The context part of one ftrace text line, found by a hand scan (no regex per line):
 * {@code <comm>-<pid> [(<tgid>)] [<cpu>] [<flags>] <seconds>.<fraction>: <event>: <payload>}.
 *
 * <p>The subtle thing: the task name is right-aligned and may itself hold spaces and dashes
 * ({@code CPU 5/KVM-4145}), so the scan anchors on the {@code [cpu]} column and walks back to the
 * last dash before it, never forward from the start of the line. One instance is reused for every
 * line of a file; {@link #scan} returns false for lines that are not events (comments, the
 * trace-cmd preamble, blank lines).
 */
final class EventLine {
    String line;
    int cpu;
    long timestampNs;
    int nameStart;
    int nameEnd;
    int payloadStart;
    int payloadEnd;

    boolean scan(String text) {
        line = text;
        int n = text.length();
        int open = findCpuColumn(text, n);
        if (open < 0) {
            return false;
        }
        int close = text.indexOf(']', open);
        cpu = parseDecimal(text, open + 1, close);
        if (!taskBefore(text, open)) {
            return false;
        }
        int i = skipSpaces(text, close + 1, n);
        // optional flags column (d...., .N.., absent in trace-cmd <= 3.2), then the timestamp
        int tokEnd = tokenEnd(text, i, n);
        if (!isTimestamp(text, i, tokEnd)) {
            i = skipSpaces(text, tokEnd, n);
            tokEnd = tokenEnd(text, i, n);
            if (!isTimestamp(text, i, tokEnd)) {
                return false;
            }
        }
        timestampNs = parseTimestamp(text, i, tokEnd - 1);
        i = skipSpaces(text, tokEnd, n);
        int colon = text.indexOf(':', i);
        if (colon <= i) {
            return false;
        }
        nameStart = i;
        nameEnd = colon;
        int p = skipSpaces(text, colon + 1, n);
        int e = n;
        while (e > p && text.charAt(e - 1) == ' ') {
            e--;
        }
        payloadStart = p;
        payloadEnd = e;
        return true;
    }

    String eventName() {
        return line.substring(nameStart, nameEnd);
    }

    /** The first {@code [ddd]} preceded by a space: the cpu column. */
    private static int findCpuColumn(String s, int n) {
        int from = 0;
        while (true) {
            int open = s.indexOf('[', from);
            if (open < 0) {
                return -1;
            }
            int j = open + 1;
            while (j < n && isDigit(s.charAt(j))) {
                j++;
            }
            if (j > open + 1 && j < n && s.charAt(j) == ']' && open > 0 && s.charAt(open - 1) == ' ') {
                return open;
            }
            from = open + 1;
        }
    }

    /** Checks {@code comm-pid} (and an optional {@code (tgid)}) end right before the cpu column. */
    private static boolean taskBefore(String s, int open) {
        int i = open - 1;
        while (i >= 0 && s.charAt(i) == ' ') {
            i--;
        }
        if (i >= 0 && s.charAt(i) == ')') {
            int o = s.lastIndexOf('(', i);
            if (o < 0) {
                return false;
            }
            i = o - 1;
            while (i >= 0 && s.charAt(i) == ' ') {
                i--;
            }
        }
        int digitsEnd = i;
        while (i >= 0 && isDigit(s.charAt(i))) {
            i--;
        }
        return i < digitsEnd && i >= 0 && s.charAt(i) == '-';
    }

    private static boolean isTimestamp(String s, int from, int to) {
        if (to - from < 2 || s.charAt(to - 1) != ':') {
            return false;
        }
        boolean digit = false;
        for (int k = from; k < to - 1; k++) {
            char c = s.charAt(k);
            if (isDigit(c)) {
                digit = true;
            } else if (c != '.') {
                return false;
            }
        }
        return digit;
    }

    /** {@code 2616.730120} (us), {@code 6084.533748493} (ns) or a plain counter, as ns. */
    private static long parseTimestamp(String s, int from, int to) {
        long secs = 0;
        int k = from;
        while (k < to && s.charAt(k) != '.') {
            secs = secs * 10 + (s.charAt(k) - '0');
            k++;
        }
        if (k == to) {
            return secs; // counter clock: taken as is
        }
        long frac = 0;
        int digits = 0;
        for (k++; k < to; k++) {
            if (digits < 9) {
                frac = frac * 10 + (s.charAt(k) - '0');
                digits++;
            }
        }
        for (; digits < 9; digits++) {
            frac *= 10;
        }
        return secs * 1_000_000_000L + frac;
    }

    private static int parseDecimal(String s, int from, int to) {
        int v = 0;
        for (int k = from; k < to; k++) {
            v = v * 10 + (s.charAt(k) - '0');
            if (v > 1_000_000) {
                return v;
            }
        }
        return v;
    }

    private static int skipSpaces(String s, int i, int n) {
        while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static int tokenEnd(String s, int i, int n) {
        while (i < n && s.charAt(i) != ' ' && s.charAt(i) != '\t') {
            i++;
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
