package dev.mmutrace.jmh;

import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.TraceWriter;
import dev.mmutrace.trace.ftrace.FtraceImporter;
import dev.mmutrace.trace.importer.ImportOptions;
import dev.mmutrace.trace.importer.ImportedTrace;
import dev.mmutrace.trace.io.TraceFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The parallel ftrace importer over the bench's ftrace text, one whole file per operation: its
 * lines scanned in chunks on one thread per core and translated in order on the benchmark's
 * thread (docs/ftrace-import.md, "Threads"). Three ways a user meets it: a file, the same bytes
 * as a stream (one pass, as from a pipe), and the import written as a binary trace (what
 * {@code mmutrace convert} does after the JVM has started). The text is the one
 * {@code java -jar mmutrace-bench.jar --keep DIR} leaves in DIR; with {@code -prof gc} JMH shows
 * what each operation allocates.
 */
@Warmup(iterations = 2, time = 2)
public class FtraceImportBench extends JmhDefaults {
    /** The directory {@code mmutrace-bench.jar --keep} wrote. */
    @Param("bench-inputs")
    public String dir;

    private Path text;
    private Path out;
    private ImportOptions options;

    @Setup
    public void setUp() throws IOException {
        text = Path.of(dir, "fork-exec-exit.ftrace.txt");
        if (!Files.isRegularFile(text)) {
            throw new IllegalStateException(text + " is missing: run `java -jar benchmarks/target/mmutrace-bench.jar"
                    + " --keep " + dir + "` first, or pass -p dir=<the directory it kept>");
        }
        TraceHeader h;
        try (TraceReader r = TraceFiles.open(Path.of(dir, "fork-exec-exit.mmtrace"))) {
            h = r.header();
        }
        options = ImportOptions.defaults(h.pagingMode()).withVcpus(h.vcpus()).withPfnLimit(h.pfnLimit());
        out = Files.createTempFile("ftrace-import-bench-", ".mmtrace");
    }

    @TearDown
    public void tearDown() throws IOException {
        Files.deleteIfExists(out);
    }

    @Benchmark
    public void file(Blackhole bh) {
        try (ImportedTrace r = FtraceImporter.read(text, options)) {
            while (r.hasNext()) {
                bh.consume(r.next());
            }
        }
    }

    @Benchmark
    public void stream(Blackhole bh) {
        try (InputStream in = Files.newInputStream(text);
                ImportedTrace r = FtraceImporter.read(in, text.toString(), options)) {
            while (r.hasNext()) {
                bh.consume(r.next());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Benchmark
    public long fileToBinary() {
        long n = 0;
        try (ImportedTrace r = FtraceImporter.read(text, options);
                TraceWriter w = TraceFiles.create(out, r.header())) {
            while (r.hasNext()) {
                w.write(r.next());
                n++;
            }
        }
        return n;
    }
}
