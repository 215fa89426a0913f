package dev.mmutrace.trace.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mmutrace.trace.Refusals;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.TraceReader;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Fuzzes the binary trace reader (docs/reliability.md, Fuzzing). For any bytes, reading either
 * gives a header and events or stops with a {@link TraceInputException} whose message is one
 * line quoting at most 80 characters; and whatever decoded (the header and the events before any
 * refusal) goes binary -> CSV -> binary without a change. Plain {@code mvn verify} runs the
 * saved inputs under {@code BinaryReaderFuzzTestInputs}.
 */
class BinaryReaderFuzzTest {

    @FuzzTest
    void readsOrRefusesAndRoundTrips(byte[] data) {
        Optional<TraceHeader> header = Optional.empty();
        List<TraceEvent> events = new ArrayList<>();
        try (TraceReader r = TraceFiles.open(new ByteArrayInputStream(data), "fuzz.mmtrace", TraceFormat.BINARY)) {
            header = Optional.of(r.header());
            r.forEachRemaining(events::add);
        } catch (TraceInputException refusal) {
            Refusals.check(refusal, data);
        }
        header.ifPresent(h -> {
            RoundTrips.csvKeeps(h, events);
            RoundTrips.binaryKeeps(h, events);
        });
    }
}
