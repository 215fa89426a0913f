package dev.mmutrace.trace.window;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecondsTest {

    @Test
    void decimalsAreReadExactlyIntoNanoseconds() {
        // 1234.567890 s = 1234 * 10^9 + 567890 * 10^3 ns; six decimals: the last digit is 1 µs
        assertThat(Seconds.parse("1234.567890")).contains(new Seconds(1_234_567_890_000L, 1_000));
        // 0.1 has no exact binary fraction; read as a decimal it is exactly 10^8 ns
        assertThat(Seconds.parse("0.1")).contains(new Seconds(100_000_000L, 100_000_000L));
        assertThat(Seconds.parse("7")).contains(new Seconds(7_000_000_000L, 1_000_000_000L));
        assertThat(Seconds.parse("0.000000001")).contains(new Seconds(1, 1));
        // 9223372036.854775807 s is 2^63 - 1 ns, the last time a long holds
        assertThat(Seconds.parse("9223372036.854775807")).contains(new Seconds(Long.MAX_VALUE, 1));
    }

    @Test
    void anythingButDigitsAPointAndNineDecimalsIsRefused() {
        for (String bad : new String[] {"", ".", "1.", ".5", "-1", "+1", "1e3", "1,5", "0x10", " 1", "1.0000000001",
            "9223372036.854775808", "99999999999999999999"}) {
            assertThat(Seconds.parse(bad)).as("'%s'", bad).isEmpty();
        }
    }

    @Test
    void theEndIsOneUnitOfTheLastDigitLater() {
        // 5.000123 with six decimals covers every ns that prints as 5.000123: up to 5.000123999
        assertThat(Seconds.parse("5.000123").orElseThrow().endNs()).isEqualTo(5_000_124_000L);
        assertThat(Seconds.parse("5").orElseThrow().endNs()).isEqualTo(6_000_000_000L);
        assertThat(Seconds.format(5_000_123_456L)).isEqualTo("5.000123456");
    }
}
