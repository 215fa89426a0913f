package dev.mmutrace.trace.io;

import dev.mmutrace.trace.TraceInputException;

/**
 * The two number spellings of a CSV trace, parsed by hand (no regex, no boxing: they run for
 * every cell of every row). Hex is {@code 0x} then 1..16 hex digits, read as an unsigned 64-bit
 * value; decimal is 1..19 digits up to 2^63 - 1, no sign. Written hex is lowercase with no leading zeros.
 */
final class CsvCells {
    private CsvCells() {
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    static long parseHex(String s, String source, long line, String field) {
        int n = s.length();
        if (n < 3 || n > 18 || s.charAt(0) != '0' || (s.charAt(1) != 'x' && s.charAt(1) != 'X')) {
            throw badHex(s, source, line, field);
        }
        long v = 0;
        for (int i = 2; i < n; i++) {
            char c = s.charAt(i);
            int d;
            if (c >= '0' && c <= '9') {
                d = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                d = c - 'a' + 10;
            } else if (c >= 'A' && c <= 'F') {
                d = c - 'A' + 10;
            } else {
                throw badHex(s, source, line, field);
            }
            v = (v << 4) | d;
        }
        return v;
    }

    static long parseDecimal(String s, String source, long line, String field) {
        int n = s.length();
        if (n == 0 || n > 19) {
            throw badNumber(s, source, line, field);
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw badNumber(s, source, line, field);
            }
            int d = c - '0';
            if (v > (Long.MAX_VALUE - d) / 10) {
                throw TraceInputException.atLine(source, line, field, "bad number '" + s + "' (too large)");
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static TraceInputException badNumber(String s, String source, long line, String field) {
        return TraceInputException.atLine(source, line, field, "bad number '" + s + "'");
    }

    private static TraceInputException badHex(String s, String source, long line, String field) {
        return TraceInputException.atLine(source, line, field, "bad hex '" + s + "' (0x and 1..16 hex digits)");
    }
}
