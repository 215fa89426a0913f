package dev.mmutrace.trace.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 10-million-event binary trace streams through the reader in a JVM with a 64 MiB heap.
 * Held events would need far more: a record of the smallest kind is at least 32 bytes, so
 * 10^7 of them are over 300 MiB. The file is written once from 16 pre-encoded records (one
 * per kind) cycled, which is what the reader sees as any other valid trace.
 */
class LargeTraceStreamingTest {
    private static final long EVENTS = 10_000_000;

    @TempDir
    Path dir;

    @Test
    void tenMillionEventsStreamThroughA64MiBHeap() throws IOException, InterruptedException {
        TraceHeader header = TraceHeader.defaults(PagingMode.PAE, 4, 1L << 20);
        Path sample = dir.resolve("sample.mmtrace");
        List<TraceEvent> kinds = new ArrayList<>();
        RandomEvents random = new RandomEvents(header, 11);
        for (int i = 0; i < 16; i++) {
            kinds.add(random.next(i));
        }
        RoundTripTest.write(sample, header, kinds);
        byte[] bytes = Files.readAllBytes(sample);
        byte[] head = preambleAndHeader(header);
        byte[] records = java.util.Arrays.copyOfRange(bytes, head.length, bytes.length);
        // entry updates among the 16 kinds: set_pte, set_pte_at, ptep_modify_prot, set_pmd, set_pud, set_pgd
        long updatesPerCycle = kinds.stream().filter(e -> e.type().isEntryUpdate()).count();
        assertThat(updatesPerCycle).isEqualTo(6);

        Path big = dir.resolve("big.mmtrace");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(big), 1 << 20)) {
            out.write(head);
            for (long i = 0; i < EVENTS / 16; i++) {
                out.write(records);
            }
        }

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), StreamCount.class.getName(), big.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();

        assertThat(child.exitValue()).as(output).isEqualTo(0);
        assertThat(output).isEqualTo(EVENTS + " " + (EVENTS / 16 * updatesPerCycle));
    }

    private static byte[] preambleAndHeader(TraceHeader header) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        new BinaryTraceWriter(b, "head", header).close();
        return b.toByteArray();
    }
}
