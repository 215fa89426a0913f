package dev.mmutrace.trace.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The 8-bytes-at-a-time searches, with the match before, in and after each word of the scan. */
class ByteScanTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void lineEndAtEveryPositionOfAWord() {
        for (int at = 0; at < 20; at++) {
            byte[] b = ascii("x".repeat(at) + "\n" + "y".repeat(10));
            assertThat(ByteScan.lineEnd(b, 0, b.length)).as("newline at %d", at).isEqualTo(at);
            byte[] cr = ascii("x".repeat(at) + "\r\n");
            assertThat(ByteScan.lineEnd(cr, 0, cr.length)).as("cr at %d", at).isEqualTo(at);
        }
    }

    @Test
    void lineEndSkipsTabsAndStopsAtTheRangeEnd() {
        // a tab (9) flags its word but is not a line end; the \n at 12 lies beyond the range end 10
        byte[] b = ascii("a\tbcdefghij\nk");
        assertThat(ByteScan.lineEnd(b, 0, b.length)).isEqualTo(11);
        assertThat(ByteScan.lineEnd(b, 0, 10)).isEqualTo(10);
        assertThat(ByteScan.lineEnd(b, 2, b.length)).isEqualTo(11);
    }

    @Test
    void startsWithLooksOnlyInsideTheRange() {
        byte[] b = "x(null) (nil\u00e9".getBytes(StandardCharsets.UTF_8);
        assertThat(ByteScan.startsWith(b, 1, 7, "(null)")).isTrue();
        assertThat(ByteScan.startsWith(b, 1, 6, "(null)")).as("range one byte short").isFalse();
        assertThat(ByteScan.startsWith(b, 0, 7, "(null)")).as("off by one").isFalse();
        assertThat(ByteScan.startsWith(b, 8, b.length, "(nil")).isTrue();
        // the UTF-8 bytes of \u00e9 are negative, never equal to an ASCII char
        assertThat(ByteScan.startsWith(b, 8, b.length, "(nile")).isFalse();
        assertThat(ByteScan.startsWith(b, 3, 3, "")).isTrue();
    }

    @Test
    void spaceOrEndWithTheFirstEqualsBeforeIt() {
        int[] eq = new int[1];
        // "error_code=0x14 ip" : '=' at 10, space at 15
        byte[] b = ascii("error_code=0x14 ip=0x1");
        assertThat(ByteScan.spaceOrEnd(b, 1, b.length, eq)).isEqualTo(15);
        assertThat(eq[0]).isEqualTo(10);
        // "ffff888000021000 addr=1": the '=' lies after the space, so the token has none
        byte[] p = ascii("ffff888000021000 addr=1");
        assertThat(ByteScan.spaceOrEnd(p, 1, p.length, eq)).isEqualTo(16);
        assertThat(eq[0]).isEqualTo(-1);
        // no space: the range end; '=' twice, the first counts
        byte[] k = ascii("a=b=c");
        assertThat(ByteScan.spaceOrEnd(k, 1, k.length, eq)).isEqualTo(5);
        assertThat(eq[0]).isEqualTo(1);
        // a long token crossing several words, '=' in its third word
        byte[] w = ascii("0123456789abcdefghij=lmn rest");
        assertThat(ByteScan.spaceOrEnd(w, 1, w.length, eq)).isEqualTo(24);
        assertThat(eq[0]).isEqualTo(20);
    }
}
