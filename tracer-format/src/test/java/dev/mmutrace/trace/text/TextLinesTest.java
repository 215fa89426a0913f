package dev.mmutrace.trace.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Line ends are BufferedReader.readLine's: \n, \r or \r\n, and the last line needs none. */
class TextLinesTest {

    private static List<String> lines(String text, int bufferBytes, int readBytes) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        try (TextLines lines = new TextLines(new Trickle(bytes, readBytes), bufferBytes)) {
            while (lines.next()) {
                out.add(lines.text());
            }
        }
        return out;
    }

    @Test
    void everyLineEndOfReadLine() {
        // "a\n" "b\r\n" "c\r" "\n"-less "d": four lines; "\r\r" is two ends, so one empty line between
        assertThat(lines("a\nb\r\nc\rd", 1 << 10, 1 << 10)).containsExactly("a", "b", "c", "d");
        assertThat(lines("a\r\rb\n\nc\n", 1 << 10, 1 << 10)).containsExactly("a", "", "b", "", "c");
        assertThat(lines("", 1 << 10, 1 << 10)).isEmpty();
        assertThat(lines("\n", 1 << 10, 1 << 10)).containsExactly("");
        assertThat(lines("no newline at all", 1 << 10, 1 << 10)).containsExactly("no newline at all");
    }

    @Test
    void aLineAcrossTwoReadsComesOutWhole() {
        // a 16-byte buffer read 5 bytes at a time: "0123456789" ends in the third read, "abcdefgh"
        // starts in the third and ends in the fifth; every line straddles a read
        String text = "0123456789\nabcdefgh\nxyz";
        assertThat(lines(text, 16, 5)).containsExactly("0123456789", "abcdefgh", "xyz");
        // one byte per read: the \r of "p\r\n" ends one read and its \n begins the next, still one end
        assertThat(lines("p\r\nq\r\n", 16, 1)).containsExactly("p", "q");
    }

    @Test
    void aLineLongerThanTheBufferGrowsIt() {
        // 100 bytes against a 16-byte buffer: doubled to 128 while the line is read
        String longLine = "x".repeat(100);
        assertThat(lines("short\n" + longLine + "\nlast", 16, 7)).containsExactly("short", longLine, "last");
    }

    @Test
    void rangesHoldTheLineWithoutItsEnd() {
        byte[] bytes = "ab\r\ncd".getBytes(StandardCharsets.US_ASCII);
        try (TextLines lines = new TextLines(new ByteArrayInputStream(bytes), 64)) {
            assertThat(lines.next()).isTrue();
            assertThat(lines.start()).isZero();
            assertThat(lines.end()).isEqualTo(2); // "ab", the \r\n left out
            assertThat(lines.next()).isTrue();
            // "cd": two bytes wherever the buffer now holds them (the end of the stream moved them to its start)
            assertThat(lines.end() - lines.start()).isEqualTo(2);
            assertThat(lines.bytes()[lines.start()]).isEqualTo((byte) 'c');
            assertThat(lines.next()).isFalse();
        }
    }

    @Test
    void multiByteCharactersPassThroughUndecoded() {
        // é is two bytes (c3 a9); the line is decoded only when asked
        assertThat(lines("caf\u00e9-1 [000]\nnext", 16, 3)).containsExactly("caf\u00e9-1 [000]", "next");
    }
}
