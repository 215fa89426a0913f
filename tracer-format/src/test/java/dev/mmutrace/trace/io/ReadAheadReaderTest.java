package dev.mmutrace.trace.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmutrace.trace.TraceEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The read-ahead reader hands out exactly the reader's events in its order, fails where the
 * reader fails, and stops its thread before closing the reader. Sizes are chosen around
 * {@link ReadAheadReader#BATCH_EVENTS}, where a batch ends.
 */
class ReadAheadReaderTest {
    private static final int BATCH = ReadAheadReader.BATCH_EVENTS;

    @Test
    void eventsComeOutInTheReadersOrderAcrossBatches() {
        for (int n : new int[] {0, 1, BATCH - 1, BATCH, BATCH + 1, 3 * BATCH + 17}) {
            ListReader inner = new ListReader(ListReader.events(n), -1);
            try (ReadAheadReader r = new ReadAheadReader(inner)) {
                assertThat(r.header()).isSameAs(ListReader.HEADER);
                assertThat(r.source()).isEqualTo("list");
                assertThat(RoundTripTest.readAll(r)).as("%d events", n).isEqualTo(ListReader.events(n));
            }
            assertThat(inner.closed).isTrue();
        }
    }

    @Test
    void aBadRecordFailsRightAfterTheGoodEventsBeforeIt() {
        int bad = 2 * BATCH + 5; // in the third batch, so two whole batches come first
        ListReader inner = new ListReader(ListReader.events(3 * BATCH), bad);
        List<TraceEvent> read = new ArrayList<>();
        try (ReadAheadReader r = new ReadAheadReader(inner)) {
            assertThatThrownBy(() -> {
                while (r.hasNext()) {
                    read.add(r.next());
                }
            }).isSameAs(inner.failure);
        }
        assertThat(read).hasSize(bad);
        assertThat(read).isEqualTo(ListReader.events(bad));
    }

    @Test
    void closingEarlyStopsTheDecodingBeforeClosingTheReader() {
        // far more events than the queue holds: the decoder is waiting to hand over a batch
        ListReader inner = new ListReader(ListReader.events(20 * BATCH), -1);
        try (ReadAheadReader r = new ReadAheadReader(inner)) {
            assertThat(r.next()).isEqualTo(ListReader.events(1).get(0));
        }
        assertThat(inner.closed).isTrue();
        assertThat(inner.readAfterClose).isFalse();
        assertThat(inner.served).isLessThan(20 * BATCH);
    }

    @Test
    void aClosedReaderRefusesToGoOnAndClosesOnce() {
        ListReader inner = new ListReader(ListReader.events(3 * BATCH), -1);
        ReadAheadReader r = new ReadAheadReader(inner);
        r.next();
        r.close();
        r.close();
        assertThat(inner.closings).isEqualTo(1);
        // waiting for a batch that no thread will make would hang the replay
        assertThatThrownBy(r::hasNext).isInstanceOf(IllegalStateException.class).hasMessage("list was closed");
    }
}
