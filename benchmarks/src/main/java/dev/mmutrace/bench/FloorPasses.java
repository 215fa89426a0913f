package dev.mmutrace.bench;

import dev.mmutrace.trace.text.TextLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Two passes over a text file that parse nothing, timed beside the ftrace importer to say where
 * the floor is on the machine at hand (docs/performance.md): the importer's own line split alone,
 * and that split with every byte of each line looked at once to find the spaces between its
 * fields. The bench and the JMH {@code FtraceFloorBench} time these same two.
 */
public final class FloorPasses {
    /** What {@link #split} found: the spaces in the file and its widest field. */
    public record Split(long spaces, int widestField) {
    }

    private FloorPasses() {
    }

    /** The lines the importer's line split finds in the file, and nothing else done. */
    public static long lineEnds(Path file) {
        long lines = 0;
        try (TextLines in = new TextLines(Files.newInputStream(file))) {
            while (in.next()) {
                lines++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    /**
     * Finds the fields of every line as a parser would, by looking at each byte once and noting
     * where each field ends, and parses none of them.
     */
    public static Split split(Path file) {
        long spaces = 0;
        int widest = 0;
        try (TextLines in = new TextLines(Files.newInputStream(file))) {
            while (in.next()) {
                byte[] b = in.bytes();
                int fieldStart = in.start();
                for (int i = fieldStart, end = in.end(); i < end; i++) {
                    if (b[i] == ' ') {
                        widest = Math.max(widest, i - fieldStart);
                        fieldStart = i + 1;
                        spaces++;
                    }
                }
                widest = Math.max(widest, in.end() - fieldStart);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Split(spaces, widest);
    }
}
