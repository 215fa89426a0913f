package dev.mmutrace.trace.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Hex values read eight digits at a time; each expectation is the number the digits spell. */
class HexTest {

    /** The value placed after a key and a space, as in a payload, so the 8-byte reads reach back into them. */
    private static byte[] line(String value) {
        return ("pteval " + value + " (raw 0)").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean isNumber(String value) {
        byte[] b = line(value);
        return Hex.isNumber(b, 7, 7 + value.length());
    }

    private static long value(String value) {
        byte[] b = line(value);
        return Hex.value(b, 7, 7 + value.length());
    }

    @Test
    void everyLengthFromOneToSixteenDigits() {
        assertThat(value("7")).isEqualTo(0x7L);
        assertThat(value("1a2b")).isEqualTo(0x1a2bL);
        assertThat(value("20000")).isEqualTo(0x20000L);
        assertThat(value("deadbeef")).isEqualTo(0xdeadbeefL); // exactly one word
        assertThat(value("7ffffffff000")).isEqualTo(0x7ffffffff000L); // 12: one word and 4 digits
        assertThat(value("8000000000200067")).isEqualTo(0x8000000000200067L); // two words, top bit set
        assertThat(value("ffff888000085ff8")).isEqualTo(0xffff888000085ff8L);
        assertThat(value("FFFF888000085FF8")).isEqualTo(0xffff888000085ff8L); // upper case too
        assertThat(value("0000000000000000")).isZero();
    }

    @Test
    void onlyOneToSixteenAsciiHexDigitsAreNumbers() {
        assertThat(isNumber("8000000000200067")).isTrue();
        assertThat(isNumber("18000000000200067")).isFalse(); // 17 digits
        assertThat(isNumber("")).isFalse();
        // the bytes just outside each digit range: '/' ':' (around 0-9), '@' 'G' '`' 'g' (around A-F, a-f)
        for (String bad : new String[] {"12/4", "12:4", "@123", "G123", "`123", "g123", "80zz", "1234 678"}) {
            assertThat(isNumber(bad)).as(bad).isFalse();
        }
        // a byte beyond ASCII ('\u00e6' is 0xe6 in ISO-8859-1, which an ASCII-only check might read as 'f')
        assertThat(isNumber("12\u00e634")).isFalse();
        assertThat(isNumber("1234567\u00e6")).isFalse();
    }

    @Test
    void valuesAtTheStartOfTheArrayAreReadDigitByDigit() {
        // fewer than 8 bytes before the value's end: no whole word to read back into
        byte[] b = "1f".getBytes(StandardCharsets.US_ASCII);
        assertThat(Hex.isNumber(b, 0, 2)).isTrue();
        assertThat(Hex.value(b, 0, 2)).isEqualTo(0x1fL);
        byte[] twelve = "7ffffffff000".getBytes(StandardCharsets.US_ASCII);
        assertThat(Hex.isNumber(twelve, 0, 12)).isTrue();
        assertThat(Hex.value(twelve, 0, 12)).isEqualTo(0x7ffffffff000L);
        assertThat(Hex.isNumber("7fz".getBytes(StandardCharsets.US_ASCII), 0, 3)).isFalse();
    }

    @Test
    void digitTable() {
        assertThat(Hex.digit((byte) '0')).isZero();
        assertThat(Hex.digit((byte) 'f')).isEqualTo(15);
        assertThat(Hex.digit((byte) 'A')).isEqualTo(10);
        assertThat(Hex.digit((byte) 'g')).isEqualTo(-1);
        assertThat(Hex.digit((byte) 0xe6)).isEqualTo(-1);
    }

    @Test
    void valueOfReadsDigitsBeyondAsciiAsCharacterDoes() {
        // U+FF46 is a fullwidth 'f' (15 to Character.digit): "0xｆ1" after the prefix is 0xf1
        assertThat(Hex.valueOf("0x\uff461", 2)).hasValue(0xf1L);
        assertThat(Hex.valueOf("ffff888000085ff8", 0)).hasValue(0xffff888000085ff8L);
        assertThat(Hex.valueOf("0x", 2)).isEmpty();
        assertThat(Hex.valueOf("1".repeat(17), 0)).isEmpty(); // 17 digits do not fit 64 bits
        assertThat(Hex.valueOf("12g", 0)).isEmpty();
    }
}
