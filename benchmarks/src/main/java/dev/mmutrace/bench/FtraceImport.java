package dev.mmutrace.bench;

import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.importer.ImportOptions;
import dev.mmutrace.trace.importer.ImportedTrace;
import dev.mmutrace.trace.ftrace.FtraceImporter;
import java.nio.file.Path;
import java.util.List;

/**
 * The ftrace importer against {@code wc -l} over the same text file (the main trace rendered as
 * a kernel trace file). Both read a file the page cache holds by then; wc is the floor of what
 * any line reader costs. The importer is given the vCPU count and pfn limit, so it makes one pass.
 *
 * <p>The two {@link FloorPasses}, which parse nothing, are shown beside them, so a run says
 * where the floor is on the machine at hand.
 */
final class FtraceImport {
    /**
     * Issue 20: {@code mmutrace convert} of the text, a whole process, at least half as fast as
     * mawk splitting the same lines into fields ({@link WholeProcesses#ftraceImport}).
     */
    static final double MAWK_TARGET = 0.5;

    private FtraceImport() {
    }

    static List<Figure> figures(BenchInputs inputs) {
        Path text = inputs.ftrace();
        long lines = inputs.ftraceLines();
        TraceHeader h = Replays.header(inputs.binary());
        ImportOptions options = ImportOptions.defaults(BenchInputs.MODE).withVcpus(h.vcpus())
                .withPfnLimit(h.pfnLimit());
        Timing timing = inputs.settings().timing();
        double wc = lines / timing.medianSeconds(() -> SideBySide.once(Child.of("wc -l", "wc", "-l", text.toString()),
                inputs.dir()));
        long[] found = new long[1];
        double lineEnds = lines / timing.medianSeconds(() -> found[0] = FloorPasses.lineEnds(text));
        if (found[0] != lines) {
            throw new IllegalStateException(text + ": TextLines found " + found[0] + " lines, wc -l " + lines);
        }
        FloorPasses.Split[] fields = new FloorPasses.Split[1];
        double split = lines / timing.medianSeconds(() -> fields[0] = FloorPasses.split(text));
        double importer = lines / timing.medianSeconds(() -> {
            try (ImportedTrace r = FtraceImporter.read(text, options)) {
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
                Figure.shown("ftrace import", importer, "lines/s", "FtraceImporter.read + next() over the same file"),
                Figure.shown("import / wc -l", importer / wc, "x",
                        "the two rates above (issue 20 withdrew issue 8's target of 0.25)"));
    }
}
