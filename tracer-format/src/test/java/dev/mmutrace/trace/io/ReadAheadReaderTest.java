package dev.mmutrace.trace.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.SetPte;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.TraceReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The read-ahead reader hands out exactly the reader's events in its order, fails where the
 * reader fails, and stops its thread before closing the reader. Sizes are chosen around
 * {@link ReadAheadReader#BATCH_EVENTS}, where a batch ends.
 */
class ReadAheadReaderTest {
    private static final TraceHeader HEADER = TraceHeader.defaults(PagingMode.FOUR_LEVEL, 2, 0x8000);
    private static final int BATCH = ReadAheadReader.BATCH_EVENTS;

    @Test
    void eventsComeOutInTheReadersOrderAcrossBatches() {
        for (int n : new int[] {0, 1, BATCH - 1, BATCH, BATCH + 1, 3 * BATCH + 17}) {
            ListReader inner = new ListReader(events(n), -1);
            try (ReadAheadReader r = new ReadAheadReader(inner)) {
                assertThat(r.header()).isSameAs(HEADER);
                assertThat(r.source()).isEqualTo("list");
                assertThat(RoundTripTest.readAll(r)).as("%d events", n).isEqualTo(events(n));
            }
            assertThat(inner.closed).isTrue();
        }
    }

    @Test
    void aBadRecordFailsRightAfterTheGoodEventsBeforeIt() {
        int bad = 2 * BATCH + 5; // in the third batch, so two whole batches come first
        ListReader inner = new ListReader(events(3 * BATCH), bad);
        List<TraceEvent> read = new ArrayList<>();
        try (ReadAheadReader r = new ReadAheadReader(inner)) {
            assertThatThrownBy(() -> {
                while (r.hasNext()) {
                    read.add(r.next());
                }
            }).isSameAs(inner.failure);
        }
        assertThat(read).hasSize(bad);
        assertThat(read).isEqualTo(events(bad));
    }

    @Test
    void closingEarlyStopsTheDecodingBeforeClosingTheReader() {
        // far more events than the queue holds: the decoder is waiting to hand over a batch
        ListReader inner = new ListReader(events(20 * BATCH), -1);
        try (ReadAheadReader r = new ReadAheadReader(inner)) {
            assertThat(r.next()).isEqualTo(events(1).get(0));
        }
        assertThat(inner.closed).isTrue();
        assertThat(inner.readAfterClose).isFalse();
        assertThat(inner.served).isLessThan(20 * BATCH);
    }

    @Test
    void aClosedReaderRefusesToGoOnAndClosesOnce() {
        ListReader inner = new ListReader(events(3 * BATCH), -1);
        ReadAheadReader r = new ReadAheadReader(inner);
        r.next();
        r.close();
        r.close();
        assertThat(inner.closings).isEqualTo(1);
        // waiting for a batch that no thread will make would hang the replay
        assertThatThrownBy(r::hasNext).isInstanceOf(IllegalStateException.class).hasMessage("list was closed");
    }

    private static List<TraceEvent> events(int n) {
        List<TraceEvent> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new SetPte(i % 2, i, (long) i * 8 % (0x8000L << 12), i));
        }
        return list;
    }

    /** A reader over a list that fails at {@code failAt} (or never, at -1) and notes how it was used. */
    private static final class ListReader implements TraceReader {
        private final List<TraceEvent> events;
        private final int failAt;
        final TraceInputException failure = TraceInputException.atRecord("list", 1, "cpu", "a bad record");
        volatile int served;
        volatile boolean closed;
        volatile boolean readAfterClose;
        volatile int closings;

        ListReader(List<TraceEvent> events, int failAt) {
            this.events = events;
            this.failAt = failAt;
        }

        @Override
        public boolean hasNext() {
            readAfterClose |= closed;
            return served < events.size();
        }

        @Override
        public TraceEvent next() {
            readAfterClose |= closed;
            if (served == failAt) {
                throw failure;
            }
            return events.get(served++);
        }

        @Override
        public TraceHeader header() {
            return HEADER;
        }

        @Override
        public String source() {
            return "list";
        }

        @Override
        public void close() {
            closed = true;
            closings++;
        }
    }
}
