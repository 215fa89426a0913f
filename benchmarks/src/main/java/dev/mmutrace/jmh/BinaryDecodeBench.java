package dev.mmutrace.jmh;

import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.TraceWriter;
import dev.mmutrace.trace.generate.GeneratorSettings;
import dev.mmutrace.trace.generate.Workload;
import dev.mmutrace.trace.generate.WorkloadGenerator;
import dev.mmutrace.trace.io.TraceFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decodes a whole binary trace per operation: {@code TraceFiles.open} and every event through
 * {@code next()}, nothing else, as the bench's "binary decode" figure. Without {@code -p file=}
 * it writes the bench's workload (fork-exec-exit, seed 1, 4level, 2 vCPUs, 2,000,000 events) as
 * today's writer does (version 2, batches) into a scratch directory; give {@code -p file=} a
 * version 1 file (e.g. one an older mmutrace wrote) to time the per-event decoder beside it.
 * Divide the events by the time per operation for events/s (docs/performance.md).
 */
public class BinaryDecodeBench extends JmhDefaults {
    /** The binary trace to decode; empty: generate the bench's workload. */
    @Param("")
    public String file;

    private Path trace;
    private Path scratch;

    @Setup
    public void setUp() throws IOException {
        if (!file.isEmpty()) {
            trace = Path.of(file);
            return;
        }
        scratch = Files.createTempDirectory("binary-decode-bench");
        trace = scratch.resolve("fork-exec-exit.mmtrace");
        WorkloadGenerator g = new WorkloadGenerator(
                new GeneratorSettings(Workload.FORK_EXEC_EXIT, 1, 2_000_000, PagingMode.FOUR_LEVEL, 2));
        try (TraceWriter w = TraceFiles.create(trace, g.header())) {
            while (g.hasNext()) {
                w.write(g.next());
            }
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        if (scratch != null) {
            Files.deleteIfExists(trace);
            Files.delete(scratch);
        }
    }

    @Benchmark
    public long decodeWholeFile(Blackhole bh) {
        long events = 0;
        try (TraceReader r = TraceFiles.open(trace)) {
            while (r.hasNext()) {
                bh.consume(r.next());
                events++;
            }
        }
        return events;
    }
}
