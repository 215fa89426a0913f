package dev.mmutrace.trace.io;

import static dev.mmutrace.trace.TraceInputException.quote;

import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.text.Decimal;
import dev.mmutrace.trace.text.Hex;
import java.nio.charset.StandardCharsets;

/**
 * The two number spellings of a CSV trace, parsed by hand (no regex, no boxing: they run for
 * every cell of every row). Hex is {@code 0x} then 1..16 hex digits, read as an unsigned 64-bit
 * value; decimal is 1..19 digits up to 2^63 - 1, no sign. Written hex is lowercase with no leading zeros.
 * Row cells come as ranges of bytes ({@link CsvRow}); the few header values, strings, are read
 * through the same code.
 */
final class CsvCells {
    private CsvCells() {
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** A header value's hex number: read as its bytes are, so a header and a row refuse alike. */
    static long parseHex(String s, String source, long line, String field) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return parseHex(b, 0, b.length, source, line, field);
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
        if (to - from > 19 || !Decimal.isNumber(b, from, to)) {
            throw badNumber(text(b, from, to), source, line, field);
        }
        long v = Decimal.value(b, from, to);
        if (v < 0) {
            throw TraceInputException.atLine(source, line, field, "bad number " + quote(text(b, from, to))
                    + " (too large)");
        }
        return v;
    }

    /** A header value's decimal number, read as its bytes are. */
    static long parseDecimal(String s, String source, long line, String field) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return parseDecimal(b, 0, b.length, source, line, field);
    }

    private static String text(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }

    private static TraceInputException badNumber(String s, String source, long line, String field) {
        return TraceInputException.atLine(source, line, field, "bad number " + quote(s));
    }

    private static TraceInputException badHex(String s, String source, long line, String field) {
        return TraceInputException.atLine(source, line, field, "bad hex " + quote(s) + " (0x and 1..16 hex digits)");
    }
}
