package dev.mmutrace.bench;

import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.ftrace.FtraceOptions;
import dev.mmutrace.trace.ftrace.FtraceReader;
import dev.mmutrace.trace.text.TextLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The ftrace importer against {@code wc -l} over the same text file (the main trace rendered as
 * a kernel trace file). Both read a file the page cache holds by then; wc is the floor of what
 * any line reader costs. The importer is given the vCPU count and pfn limit, so it makes one pass.
 *
 * <p>Two passes that parse nothing are shown beside them, so a run says where the floor is on
 * the machine at hand: the importer's own line split alone, and that split with every byte of
 * every line looked at once to find the spaces between its fields, the least a parser does.
 */
final class FtraceImport implements Measurement {
    static final double TARGET = 0.25;

    @Override
    public String title() {
        return "ftrace import vs wc -l";
    }

    @Override
    public List<Figure> run(BenchInputs inputs) {
        Path text = inputs.ftrace();
        long lines = inputs.ftraceLines();
        TraceHeader h = Replays.header(inputs.binary());
        FtraceOptions options = FtraceOptions.defaults(BenchInputs.MODE).withVcpus(h.vcpus())
                .withPfnLimit(h.pfnLimit());
        Timing timing = inputs.settings().timing();
        double wc = lines / timing.medianSeconds(() -> wcLines(text));
        long[] found = new long[1];
        double lineEnds = lines / timing.medianSeconds(() -> found[0] = lineEnds(text));
        if (found[0] != lines) {
            throw new IllegalStateException(text + ": TextLines found " + found[0] + " lines, wc -l " + lines);
        }
        Split[] fields = new Split[1];
        double split = lines / timing.medianSeconds(() -> fields[0] = split(text));
        double importer = lines / timing.medianSeconds(() -> {
            try (FtraceReader r = FtraceReader.open(text, options)) {
                while (r.hasNext()) {
                    r.next();
                }
            }
        });
        return List.of(
                Figure.shown("wc -l", wc, "lines/s", "a child process, over " + lines + " lines"),
                Figure.shown("line ends only", lineEnds, "lines/s", "TextLines, the importer's line split, alone"),
                Figure.shown("fields split only", split, "lines/s", String.format("line ends, then each byte looked at"
                        + " once for the %.1f spaces a line has (widest field %d bytes); nothing parsed",
                        (double) fields[0].spaces() / lines, fields[0].widestField())),
                Figure.shown("fields split only / wc -l", split / wc, "x",
                        "a floor for any parser that reads each byte"),
                Figure.shown("ftrace import", importer, "lines/s", "FtraceReader.open + next() over the same file"),
                Figure.held("import / wc -l", importer / wc, "x", TARGET, "the two rates above"));
    }

    /** The lines the importer's line split finds in the file, and nothing else done. */
    static long lineEnds(Path file) {
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

    /** What {@link #split} found: the spaces in the file and its widest field. */
    record Split(long spaces, int widestField) {
    }

    /**
     * Finds the fields of every line as a parser would, by looking at each byte once and noting
     * where each field ends, and parses none of them.
     */
    static Split split(Path file) {
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

    /** Runs {@code wc -l} on the file; its own time is what is measured, process start included. */
    static void wcLines(Path file) {
        try {
            Process p = new ProcessBuilder("wc", "-l", file.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            int code = p.waitFor();
            if (code != 0) {
                throw new IllegalStateException("wc -l " + file + " exited with " + code);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running wc", e);
        }
    }
}
