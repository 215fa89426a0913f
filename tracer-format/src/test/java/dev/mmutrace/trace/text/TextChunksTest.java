package dev.mmutrace.trace.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Chunks hold whole lines, so the lines of the chunks, one after the other, are the stream's lines. */
class TextChunksTest {

    /** Every line of every chunk, each chunk's lines split by TextLines on its own; a chunk boundary as "|". */
    private static List<String> lines(TextChunks chunks, boolean markChunks) throws IOException {
        List<String> out = new ArrayList<>();
        for (TextChunks.Chunk c = chunks.next(); c != null; c = chunks.next()) {
            if (markChunks && !out.isEmpty()) {
                out.add("|");
            }
            TextLines lines = new TextLines(c.bytes(), 0, c.length());
            while (lines.next()) {
                out.add(lines.text());
            }
        }
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void theLinesOfTheChunksAreTheStreamsLinesForEveryCutAndReadSize() throws IOException {
        // the line ends of BufferedReader.readLine: "a\n", "bb\r\n", "c\r", "\r" (an empty line), and a
        // last line "dddddddddd" without an end: five lines, whatever the chunk and read sizes
        byte[] text = ascii("a\nbb\r\nc\r\rdddddddddd");
        for (int chunk = 16; chunk <= 24; chunk++) {
            for (int step = 1; step <= 8; step++) {
                assertThat(lines(new TextChunks(new Trickle(text, step), chunk), false))
                        .as("chunk %d, read %d", chunk, step).containsExactly("a", "bb", "c", "", "dddddddddd");
            }
        }
    }

    @Test
    void aCrAtTheEndOfWhatWasReadWaitsForTheNextByte() throws IOException {
        // a 16-byte chunk holds "0123456789abc\n" (14 bytes), then "d\r": the \r may be half of "\r\n", so
        // the chunk ends after the \n and "d\r" goes on to the next one, which finds its \n (a cut after
        // the \r would make "d", "" and "xy")
        byte[] text = ascii("0123456789abc\nd\r\nxy");
        assertThat(lines(new TextChunks(new Trickle(text, 1), 16), true))
                .containsExactly("0123456789abc", "|", "d", "xy");
    }

    @Test
    void aLineLongerThanAChunkGrowsIt() throws IOException {
        // 40 bytes of line against 16-byte chunks: the first chunk ends after "ab\n"; the next starts with
        // the 13 bytes carried over in a 26-byte array, finds no line end, doubles to 52 and reads the
        // remaining 43 bytes to the end of the stream
        String longLine = "x".repeat(40);
        assertThat(lines(new TextChunks(new Trickle(ascii("ab\n" + longLine + "\ncd"), 5), 16), true))
                .containsExactly("ab", "|", longLine, "cd");
    }

    @Test
    void aFailedReadComesAfterTheWholeLinesReadBeforeIt() throws IOException {
        // the read fails after 11 bytes, in the middle of "three": "one" and "two" come out, then the
        // failure, then nothing (what follows a failed read is not read)
        TextChunks chunks = new TextChunks(new Trickle(ascii("one\ntwo\nthree\n"), 4, 11), 64);
        TextChunks.Chunk first = chunks.next();
        assertThat(new String(first.bytes(), 0, first.length(), StandardCharsets.US_ASCII)).isEqualTo("one\ntwo\n");
        assertThatThrownBy(chunks::next).isInstanceOf(IOException.class).hasMessage("disk read error");
        assertThat(chunks.next()).isNull();
    }

    @Test
    void aChunkHandedBackIsReadIntoAgainAndHoldsTheNextLines() throws IOException {
        // 16-byte chunks of "0123456789abc\n" (14 bytes) each: every chunk goes into the array of the one
        // before when that is handed back, and holds only its own line (the old bytes after its end are
        // not part of it); the start of the next line read with it is carried over to the front
        String line = "0123456789abc";
        TextChunks chunks = new TextChunks(new Trickle(ascii((line + "\n").repeat(3)), 7), 16);
        TextChunks.Chunk first = chunks.next(null);
        byte[] array = first.bytes();
        List<String> out = new ArrayList<>();
        for (TextChunks.Chunk c = first; c != null; c = chunks.next(c.bytes())) {
            assertThat(c.bytes()).isSameAs(array);
            out.add(new String(c.bytes(), 0, c.length(), StandardCharsets.US_ASCII));
        }
        assertThat(out).containsExactly(line + "\n", line + "\n", line + "\n");
    }

    @Test
    void anArrayShorterThanAChunkIsNotReadInto() throws IOException {
        byte[] small = new byte[8];
        TextChunks.Chunk c = new TextChunks(new Trickle(ascii("one\ntwo\n"), 3), 16).next(small);
        assertThat(c.bytes()).isNotSameAs(small).hasSize(16);
        assertThat(new String(c.bytes(), 0, c.length(), StandardCharsets.US_ASCII)).isEqualTo("one\ntwo\n");
    }
}
