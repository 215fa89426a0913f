package dev.mmutrace.trace.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Decimal values read from ASCII bytes; each expectation is the number the digits spell. */
class DecimalTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void onlyAsciiDigitsMakeANumber() {
        assertThat(Decimal.isNumber(bytes("0"), 0, 1)).isTrue();
        assertThat(Decimal.isNumber(bytes("12a"), 0, 3)).isFalse();
        assertThat(Decimal.isNumber(bytes(""), 0, 0)).isFalse();
        assertThat(Decimal.isNumber(bytes("-1"), 0, 2)).isFalse();
        // U+0663 (Arabic-Indic three) is a digit to Character.isDigit, but not to a trace format
        byte[] arabic = bytes("1\u0663");
        assertThat(Decimal.isNumber(arabic, 0, arabic.length)).isFalse();
        assertThat(Decimal.digitsEnd(bytes("[017] x"), 1, 7)).isEqualTo(4);
    }

    @Test
    void valuesUpTo2To64WrapAsAnUnsignedLong() {
        assertThat(Decimal.value(bytes("x4096y"), 1, 5)).isEqualTo(4096L);
        assertThat(Decimal.value(bytes("9223372036854775807"), 0, 19)).isEqualTo(Long.MAX_VALUE);
        // 2^63 = 9223372036854775808 is Long.MIN_VALUE's bits; 2^64 - 1 is -1's
        assertThat(Decimal.value(bytes("9223372036854775808"), 0, 19)).isEqualTo(Long.MIN_VALUE);
        assertThat(Decimal.value(bytes("18446744073709551615"), 0, 20)).isEqualTo(-1L);
    }

    @Test
    void signedNumbersAreAMinusAndUpTo20Digits() {
        assertThat(Decimal.isSignedNumber(bytes("-12"), 0, 3)).isTrue();
        assertThat(Decimal.signedValue(bytes("-12"), 0, 3)).isEqualTo(-12L);
        assertThat(Decimal.signedValue(bytes("x77y"), 1, 3)).isEqualTo(77L);
        // 20 digits: 2^64 - 1 is -1's bits, and so is -1
        assertThat(Decimal.isSignedNumber(bytes("-18446744073709551615"), 0, 21)).isTrue();
        assertThat(Decimal.signedValue(bytes("-18446744073709551615"), 0, 21)).isEqualTo(1L);
        // 21 digits, a lone minus, two minuses, nothing, a letter: no number
        assertThat(Decimal.isSignedNumber(bytes("100000000000000000000"), 0, 21)).isFalse();
        assertThat(Decimal.isSignedNumber(bytes("-"), 0, 1)).isFalse();
        assertThat(Decimal.isSignedNumber(bytes("--1"), 0, 3)).isFalse();
        assertThat(Decimal.isSignedNumber(bytes(""), 0, 0)).isFalse();
        assertThat(Decimal.isSignedNumber(bytes("1f"), 0, 2)).isFalse();
    }

    @Test
    void atMostStopsAtTheLimitWhateverTheLength() {
        assertThat(Decimal.atMost(bytes("63"), 0, 2, 100_000)).isEqualTo(63L);
        assertThat(Decimal.atMost(bytes("100000"), 0, 6, 100_000)).isEqualTo(100_000L);
        byte[] long40 = bytes("9".repeat(40)); // would wrap twice as a long
        assertThat(Decimal.atMost(long40, 0, 40, 1_000_001)).isEqualTo(1_000_001L);
    }
}
