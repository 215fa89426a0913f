package dev.mmutrace.trace.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.importer.ImportOptions;
import dev.mmutrace.trace.importer.ImportedTrace;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs by name, by content, from standard input and from a FIFO. */
class TraceInputsTest {
    // one flush on cpu 1 at 2.5 s: xen_mmu_flush_tlb has no fields, so it needs no header knowledge
    private static final String FTRACE = "# tracer: nop\n  a-1 [001] d.... 2.500000: xen_mmu_flush_tlb: \n";
    private static final ImportOptions OPTIONS = ImportOptions.defaults(PagingMode.FOUR_LEVEL);

    @TempDir
    Path dir;

    private final TraceInputs inputs = TraceInputs.installed();

    private static List<TraceEvent> all(TraceInputs.Opened o) {
        List<TraceEvent> out = new ArrayList<>();
        try (var r = o.reader()) {
            r.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void ftraceTextIsRecognisedByItsContentWhateverItsName() throws IOException {
        Path file = dir.resolve("capture.log");
        Files.writeString(file, FTRACE);
        TraceInputs.Opened o = inputs.open(file, Optional.empty(), OPTIONS);
        assertThat(o.formatName()).isEqualTo("ftrace");
        assertThat(o.imported()).isTrue();
        assertThat(all(o)).containsExactly(FlushTlb.user(1, 2_500_000_000L));
    }

    @Test
    void gzippedCsvFromAFifoIsRecognisedByContent() throws Exception {
        Path fifo = dir.resolve("pipe");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mk.waitFor()).isEqualTo(0);
        byte[] csv = Files.readAllBytes(Path.of("..", "sample-traces", "boot-2level.csv"));
        Thread writer = new Thread(() -> {
            try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(fifo))) {
                o.write(csv);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        TraceInputs.Opened o = inputs.open(fifo, Optional.empty(), OPTIONS);
        assertThat(o.formatName()).isEqualTo("csv");
        List<TraceEvent> fromFifo = all(o);
        writer.join();
        List<TraceEvent> fromFile = all(inputs.open(Path.of("..", "sample-traces", "boot-2level.csv"),
                Optional.empty(), OPTIONS));
        assertThat(fromFifo).isNotEmpty().isEqualTo(fromFile);
    }

    @Test
    void standardInputIsReadOnceEvenWhenAFirstPassIsNeeded() {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(FTRACE.getBytes(StandardCharsets.UTF_8)));
            // no --vcpus, no --pfn-limit: the stream is copied to a temporary file for the first pass
            TraceInputs.Opened o = inputs.open(Path.of("-"), Optional.empty(), OPTIONS);
            try (ImportedTrace r = (ImportedTrace) o.reader()) {
                // highest cpu 1 -> 2 vCPUs
                assertThat(r.header().vcpus()).isEqualTo(2);
                assertThat(r.next()).isEqualTo(FlushTlb.user(1, 2_500_000_000L));
                assertThat(r.summary().vcpusFrom()).contains("temporary copy");
            }
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void unrecognisedContentAsksForFrom() throws IOException {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "hello\n");
        assertThatThrownBy(() -> inputs.open(file, Optional.empty(), OPTIONS))
                .isInstanceOf(TraceInputException.class)
                .hasMessage(file + ": cannot tell the trace format from the name or the content (binary, csv, ftrace, trace-dat):"
                        + " give --from");
    }
}
