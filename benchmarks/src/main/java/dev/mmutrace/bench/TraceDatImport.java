package dev.mmutrace.bench;

import dev.mmutrace.bench.ProcessFigures.Contest;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.importer.ImportOptions;
import dev.mmutrace.trace.importer.ImportedTrace;
import dev.mmutrace.trace.tracedat.TraceDatImporter;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Importing a trace.dat against {@code trace-cmd report} writing its text, whole processes side
 * by side over the same file (issue 21: at least 3x). The bench cannot make a trace.dat itself
 * (that takes root, tracefs and a workload), so the file is a real capture given with
 * {@code --trace-dat FILE}, as {@code scripts/capture-tracedat.sh} makes one; without it, or
 * without trace-cmd on the PATH, the ratio is a MISS that says why, never a silent pass.
 *
 * <p>The import is {@code mmutrace convert} into a binary trace with the pfn limit given (so one
 * pass: the records of a capture of page faults and TLB flushes name no frame, so any limit
 * holds them) and {@code --accept-raw-values} (which only a Xen capture's entry values need),
 * what a user runs; trace-cmd's text goes to a file.
 */
final class TraceDatImport implements Measurement {
    static final double TARGET = 3.0;
    static final String OURS = "convert --from trace-dat";
    static final String PEER = "trace-cmd report";
    /** 4 GiB of guest frames: the capture's page faults and flushes name no frame, so any limit will do. */
    static final String PFN_LIMIT = "0x100000";

    @Override
    public String title() {
        return "trace.dat import, whole processes, vs trace-cmd report";
    }

    @Override
    public Measured run(BenchInputs inputs) {
        Optional<Path> dat = inputs.traceDat();
        String missing = dat.isEmpty() ? "no --trace-dat FILE given"
                : !Files.isRegularFile(dat.get()) ? dat.get() + " is not a file"
                : !onPath("trace-cmd") ? "trace-cmd is not on the PATH" : "";
        if (!missing.isEmpty()) {
            return Measured.of(List.of(Figure.held(OURS + " / " + PEER, Double.NaN, "x", TARGET, "not measured: "
                    + missing + " (scripts/capture-tracedat.sh OUT.dat captures one, as root)")));
        }
        Path file = dat.get();
        long records = records(file);
        return new ProcessFigures(title(), in -> Contest.of(records, "records",
                Child.mmutrace(in, OURS, "convert", "--from", "trace-dat", "--mode", "4level", "--pfn-limit",
                        PFN_LIMIT, "--accept-raw-values", file.toString(),
                        in.dir().resolve("imported-dat.mmtrace").toString()),
                Child.of(PEER, "trace-cmd", "report", "-i", file.toString())),
                Ratio.held(OURS, PEER, TARGET)).run(inputs);
    }

    /** The records in the file, as the importer counts them (trace-cmd prints one line for each). */
    private static long records(Path file) {
        ImportOptions options = ImportOptions.defaults(PagingMode.FOUR_LEVEL).withPfnLimit(Long.decode(PFN_LIMIT))
                .withAcceptRawValues(true);
        try (ImportedTrace r = ImportedTrace.open(new TraceDatImporter(), file, options)) {
            while (r.hasNext()) {
                r.next();
            }
            return r.summary().lines();
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
