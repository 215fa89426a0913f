package dev.mmutrace.trace.io;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.text.Decimal;
import dev.mmutrace.trace.text.Hex;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.OptionalLong;

/**
 * Fuzzes the number readers of the text formats against the JDK (docs/reliability.md, Fuzzing):
 * {@link Hex} (the word-at-a-time hex digits of the ftrace importer and the CSV reader, and its
 * slow path for other text) against {@link HexFormat} and {@link Long#parseUnsignedLong},
 * {@link Decimal} against {@link BigInteger}, and the CSV cells' {@code 0x} hex and decimal
 * against the same and {@link Long#parseLong}, on any bytes at any place in an array
 * (Hex reads eight bytes at a time, so where a number sits matters). Plain {@code mvn verify}
 * runs the saved inputs under {@code NumberFuzzTestInputs}. The refusals' messages are checked
 * by the CSV target, where cells come from real lines (here they could hold a line break).
 */
class NumberFuzzTest {

    @FuzzTest
    void agreesWithTheJdk(FuzzedDataProvider in) {
        byte[] b = in.consumeBytes(64);
        int from = in.consumeInt(0, b.length);
        int to = in.consumeInt(from, b.length);
        String text = new String(b, from, to - from, StandardCharsets.ISO_8859_1); // a char per byte
        for (int i = from; i < to; i++) {
            int expected = HexFormat.isHexDigit(b[i] & 0xff) ? HexFormat.fromHexDigit(b[i] & 0xff) : -1;
            same("Hex.digit", text, Hex.digit(b[i]), expected);
        }
        boolean hexDigits = to - from >= 1 && to - from <= 16 && text.chars().allMatch(HexFormat::isHexDigit);
        same("Hex.isNumber", text, Hex.isNumber(b, from, to), hexDigits);
        if (hexDigits) {
            same("Hex.value", text, Hex.value(b, from, to), Long.parseUnsignedLong(text, 16));
            same("Hex.value", text, Hex.value(b, from, to), HexFormat.fromHexDigitsToLong(text));
        }
        // the one-pass reading: the same acceptance, the same value, nothing written when refused
        long[] into = {0x5a5a_5a5a_5a5a_5a5aL, 0x5a5a_5a5a_5a5a_5a5aL};
        same("Hex.readInto", text, Hex.readInto(b, from, to, into, 1), hexDigits);
        same("Hex.readInto", text, into[1], hexDigits ? Long.parseUnsignedLong(text, 16) : 0x5a5a_5a5a_5a5a_5a5aL);
        same("Hex.readInto", text, into[0], 0x5a5a_5a5a_5a5a_5a5aL);
        hexValueOf(new String(b, from, to - from, StandardCharsets.UTF_8));
        decimal(b, from, to, text);
        cellHex(b, from, to, text);
        cellDecimal(b, from, to, text);
    }

    /** The slow path: 1..16 digits by {@link Character#digit}, which also knows non-ASCII digits. */
    private static void hexValueOf(String s) {
        boolean digits = !s.isEmpty() && s.length() <= 16 && s.chars().allMatch(c -> Character.digit(c, 16) >= 0);
        OptionalLong v = Hex.valueOf(s, 0);
        same("Hex.valueOf accepts", s, v.isPresent(), digits);
        if (digits) {
            same("Hex.valueOf", s, v.getAsLong(), Long.parseUnsignedLong(s, 16));
        }
    }

    /** Digits '0'..'9' only; their value modulo 2^64, or capped at a limit. */
    private static void decimal(byte[] b, int from, int to, String text) {
        boolean digits = !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
        same("Decimal.isNumber", text, Decimal.isNumber(b, from, to), digits);
        if (digits) {
            BigInteger exact = new BigInteger(text);
            same("Decimal.value", text, Decimal.value(b, from, to), exact.longValue());
            long limit = 1_000_000;
            same("Decimal.atMost", text, Decimal.atMost(b, from, to, limit),
                    exact.min(BigInteger.valueOf(limit)).longValue());
        }
    }

    /** {@code 0x} or {@code 0X}, then 1..16 hex digits. */
    private static void cellHex(byte[] b, int from, int to, String text) {
        boolean valid = text.length() >= 3 && text.length() <= 18 && (text.startsWith("0x") || text.startsWith("0X"))
                && text.substring(2).chars().allMatch(HexFormat::isHexDigit);
        try {
            long v = CsvCells.parseHex(b, from, to, "fuzz.csv", 1, "value");
            same("CsvCells.parseHex accepts", text, true, valid);
            same("CsvCells.parseHex", text, v, Long.parseUnsignedLong(text.substring(2), 16));
        } catch (TraceInputException refusal) {
            same("CsvCells.parseHex accepts", text, false, valid);
        }
    }

    /** 1..19 ASCII digits, no sign, at most 2^63 - 1. */
    private static void cellDecimal(byte[] b, int from, int to, String text) {
        boolean digits = !text.isEmpty() && text.length() <= 19 && text.chars().allMatch(c -> c >= '0' && c <= '9');
        long reference = -1;
        if (digits) {
            try {
                reference = Long.parseLong(text);
            } catch (NumberFormatException tooLarge) {
                digits = false;
            }
        }
        try {
            long v = CsvCells.parseDecimal(b, from, to, "fuzz.csv", 1, "cpu");
            same("CsvCells.parseDecimal accepts", text, true, digits);
            same("CsvCells.parseDecimal", text, v, reference);
        } catch (TraceInputException refusal) {
            same("CsvCells.parseDecimal accepts", text, false, digits);
        }
    }

    private static void same(String what, String text, Object got, Object expected) {
        if (!got.equals(expected)) {
            throw new AssertionError(what + "('" + text + "') = " + got + ", the JDK says " + expected);
        }
    }
}
