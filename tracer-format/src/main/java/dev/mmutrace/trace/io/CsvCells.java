package dev.mmutrace.trace.io;

import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.text.Hex;
import java.nio.charset.StandardCharsets;

/**
 * The two number spellings of a CSV trace, parsed by hand (no regex, no boxing: they run for
 * every cell of every row). Hex is {@code 0x} then 1..16 hex digits, read as an unsigned 64-bit
 * value; decimal is 1..19 digits up to 2^63 - 1, no sign. Written hex is lowercase with no leading zeros.
 * Header values come as strings, row cells as ranges of bytes ({@link CsvRow}); both are read
 * alike and refused with the same words.
 */
final class CsvCells {
    /** The value of each ASCII hex digit, -1 for every other character. */
    private static final byte[] HEX_DIGIT = new byte[128];

    static {
        java.util.Arrays.fill(HEX_DIGIT, (byte) -1);
        for (int d = 0; d < 16; d++) {
            HEX_DIGIT[Character.forDigit(d, 16)] = (byte) d;
            HEX_DIGIT[Character.toUpperCase(Character.forDigit(d, 16))] = (byte) d;
        }
    }

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
            int d = c < 128 ? HEX_DIGIT[c] : -1;
            if (d < 0) {
                throw badHex(s, source, line, field);
            }
            v = (v << 4) | d;
        }
        return v;
    }

    /** The hex number in {@code b[from, to)}; the text is made only for a refusal. */
    static long parseHex(byte[] b, int from, int to, String source, long line, String field) {
        int n = to - from;
        if (n < 3 || n > 18 || b[from] != '0' || (b[from + 1] != 'x' && b[from + 1] != 'X')
                || !Hex.isNumber(b, from + 2, to)) {
            throw badHex(text(b, from, to), source, line, field);
        }
        return Hex.value(b, from + 2, to);
    }

    /** The decimal number in {@code b[from, to)}; the text is made only for a refusal. */
    static long parseDecimal(byte[] b, int from, int to, String source, long line, String field) {
        int n = to - from;
        if (n == 0 || n > 19) {
            throw badNumber(text(b, from, to), source, line, field);
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                throw badNumber(text(b, from, to), source, line, field);
            }
            v = v * 10 + d;
        }
        if (v < 0) {
            throw TraceInputException.atLine(source, line, field, "bad number '" + text(b, from, to) + "' (too large)");
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
            v = v * 10 + (c - '0');
        }
        // 19 digits stay below 10^19 < 2^64, so going past 2^63 - 1 shows as a sign flip
        if (v < 0) {
            throw TraceInputException.atLine(source, line, field, "bad number '" + s + "' (too large)");
        }
        return v;
    }

    private static String text(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }

    private static TraceInputException badNumber(String s, String source, long line, String field) {
        return TraceInputException.atLine(source, line, field, "bad number '" + s + "'");
    }

    private static TraceInputException badHex(String s, String source, long line, String field) {
        return TraceInputException.atLine(source, line, field, "bad hex '" + s + "' (0x and 1..16 hex digits)");
    }
}
