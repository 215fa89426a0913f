package dev.mmutrace.bench;

import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.TraceWriter;
import dev.mmutrace.trace.generate.GeneratorSettings;
import dev.mmutrace.trace.generate.Workload;
import dev.mmutrace.trace.generate.WorkloadGenerator;
import dev.mmutrace.trace.io.TraceFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The inputs of a bench run, generated on first use into a scratch directory: the 4level
 * fork-exec-exit workload (seed 1) as a binary trace, the same events as CSV and as ftrace text,
 * and the batch traces (other seeds); and the launcher's JVM options, read from it.
 */
public final class BenchInputs {
    static final Workload WORKLOAD = Workload.FORK_EXEC_EXIT;
    static final PagingMode MODE = PagingMode.FOUR_LEVEL;
    static final int VCPUS = 2;

    private final BenchSettings settings;
    private final Path dir;
    private final Path launcher;
    private final Optional<Path> traceDat;
    private Path binary;
    private Path csv;
    private Path ftrace;
    private long ftraceLines;
    private List<String> launcherOptions;
    private List<Path> batch;

    /**
     * Inputs generated into {@code dir}; {@code launcher} is the {@code mmutrace} launcher (beside the
     * CLI jar, analyzers/target/mmutrace) the whole-process figures run.
     */
    public BenchInputs(BenchSettings settings, Path dir, Path launcher) {
        this(settings, dir, launcher, Optional.empty());
    }

    /** The same, with a real trace.dat capture for the trace.dat figure ({@link TraceDatImport}). */
    public BenchInputs(BenchSettings settings, Path dir, Path launcher, Optional<Path> traceDat) {
        this.settings = settings;
        this.dir = dir;
        this.launcher = launcher;
        this.traceDat = traceDat;
    }

    public BenchSettings settings() {
        return settings;
    }

    public Path dir() {
        return dir;
    }

    /** The {@code mmutrace} launcher: what a user runs (the CLI jar with its class-data-sharing archive). */
    public Path launcher() {
        return launcher;
    }

    /** The trace.dat capture {@code --trace-dat} names (the bench cannot record one), if any. */
    public Optional<Path> traceDat() {
        return traceDat;
    }

    static GeneratorSettings workload(long seed, long events) {
        return new GeneratorSettings(WORKLOAD, seed, events, MODE, VCPUS);
    }

    /** The main trace, binary. */
    public Path binary() {
        if (binary == null) {
            binary = generate(dir.resolve("fork-exec-exit.mmtrace"), workload(1, settings.events()));
        }
        return binary;
    }

    /** The main trace's events as CSV rows. */
    public Path csv() {
        if (csv == null) {
            csv = generate(dir.resolve("fork-exec-exit.csv"), workload(1, settings.events()));
        }
        return csv;
    }

    /** The main trace as a kernel ftrace text file (events ftrace has no line for are left out). */
    public Path ftrace() {
        if (ftrace == null) {
            Path p = dir.resolve("fork-exec-exit.ftrace.txt");
            WorkloadGenerator g = new WorkloadGenerator(workload(1, settings.events()));
            FtraceText text = new FtraceText(MODE);
            long lines = 0;
            try (BufferedWriter w = Files.newBufferedWriter(p, StandardCharsets.UTF_8)) {
                w.write("# tracer: nop\n#\n");
                for (long i = 0; g.hasNext(); i++) {
                    String line = text.line(i, g.next());
                    if (line != null) {
                        w.write(line);
                        w.write('\n');
                        lines++;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ftrace = p;
            ftraceLines = lines + 2;
        }
        return ftrace;
    }

    /** Lines of {@link #ftrace()}, the two comment lines included. */
    public long ftraceLines() {
        ftrace();
        return ftraceLines;
    }

    /** The JVM options the launcher passes ({@link LauncherOptions}), read from it once. */
    public List<String> launcherOptions() {
        if (launcherOptions == null) {
            launcherOptions = LauncherOptions.read(launcher, dir);
        }
        return launcherOptions;
    }

    /** The batch figure's traces: the same workload, half the main trace's length each, seeds 11, 12, ... */
    public List<Path> batch() {
        if (batch == null) {
            List<Path> paths = new ArrayList<>();
            for (int i = 0; i < settings.batchTraces(); i++) {
                paths.add(generate(dir.resolve("batch-" + i + ".mmtrace"), workload(11 + i, settings.events() / 2)));
            }
            batch = paths;
        }
        return batch;
    }

    private static Path generate(Path out, GeneratorSettings s) {
        WorkloadGenerator g = new WorkloadGenerator(s);
        try (TraceWriter w = TraceFiles.create(out, g.header())) {
            while (g.hasNext()) {
                w.write(g.next());
            }
        }
        return out;
    }
}
