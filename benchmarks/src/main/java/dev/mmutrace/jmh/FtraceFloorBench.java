package dev.mmutrace.jmh;

import dev.mmutrace.bench.FloorPasses;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.importer.ImportOptions;
import dev.mmutrace.trace.importer.ImportedTrace;
import dev.mmutrace.trace.ftrace.FtraceImporter;
import dev.mmutrace.trace.io.TraceFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One pass over the bench's ftrace text per operation, four ways, from doing the least to the
 * importer: the two {@link FloorPasses} the bench shows (the line split alone, and with each
 * line's fields found), a minimal parser ({@link MinimalFtraceParse}) and {@link FtraceImporter}.
 * Says how far the importer is from a parser that does nothing but parse (docs/performance.md).
 * The text is the one {@code java -jar mmutrace-bench.jar --keep DIR} leaves in DIR, beside the binary trace
 * whose header gives the importer its vCPU count and pfn limit.
 */
@Warmup(iterations = 2, time = 2)
public class FtraceFloorBench extends JmhDefaults {
    /** The directory {@code mmutrace-bench.jar --keep} wrote. */
    @Param("bench-inputs")
    public String dir;

    private Path text;
    private ImportOptions options;
    private final MinimalFtraceParse minimal = new MinimalFtraceParse();

    @Setup
    public void setUp() {
        text = Path.of(dir, "fork-exec-exit.ftrace.txt");
        if (!Files.isRegularFile(text)) {
            throw new IllegalStateException(text + " is missing: run `java -jar analyzers/target/mmutrace.jar bench"
                    + " --keep " + dir + "` first, or pass -p dir=<the directory it kept>");
        }
        TraceHeader h;
        try (TraceReader r = TraceFiles.open(Path.of(dir, "fork-exec-exit.mmtrace"))) {
            h = r.header();
        }
        options = ImportOptions.defaults(h.pagingMode()).withVcpus(h.vcpus()).withPfnLimit(h.pfnLimit());
    }

    @Benchmark
    public long lineEndsOnly() {
        return FloorPasses.lineEnds(text);
    }

    @Benchmark
    public FloorPasses.Split fieldsSplitOnly() {
        return FloorPasses.split(text);
    }

    @Benchmark
    public long minimalParse(Blackhole bh) {
        return minimal.parse(text, bh::consume);
    }

    @Benchmark
    public void importer(Blackhole bh) {
        try (ImportedTrace r = FtraceImporter.read(text, options)) {
            while (r.hasNext()) {
                bh.consume(r.next());
            }
        }
    }
}
