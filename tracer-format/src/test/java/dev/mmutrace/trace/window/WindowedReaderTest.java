package dev.mmutrace.trace.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.Gap;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.TraceReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowedReaderTest {

    /** Events 0..9, event i at (10 + i) µs: event 4 prints as 0.000014. */
    private static List<TraceEvent> tenEvents() {
        List<TraceEvent> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(FlushTlb.user(0, (10 + i) * 1_000L));
        }
        return events;
    }

    /** A reader over {@code events} that counts how many were taken from it. */
    private static final class Counted implements TraceReader {
        private final List<TraceEvent> events;
        int taken;
        boolean closed;

        Counted(List<TraceEvent> events) {
            this.events = events;
        }

        @Override
        public TraceHeader header() {
            return TraceHeader.defaults(PagingMode.TWO_LEVEL, 1, 0x4000);
        }

        @Override
        public String source() {
            return "t.csv";
        }

        @Override
        public boolean hasNext() {
            return taken < events.size();
        }

        @Override
        public TraceEvent next() {
            return events.get(taken++);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static List<TraceEvent> drain(TraceReader r) {
        List<TraceEvent> out = new ArrayList<>();
        r.forEachRemaining(out::add);
        return out;
    }

    private static TraceWindow events(long from, long to) {
        return new TraceWindow(TraceWindow.By.EVENT, from, to + 1, "--from-event " + from + " --to-event " + to);
    }

    private static TraceWindow times(String from, String to) {
        return new TraceWindow(TraceWindow.By.TIME, Seconds.parse(from).orElseThrow().ns(),
                Seconds.parse(to).orElseThrow().endNs(), "--from-time " + from + " --to-time " + to);
    }

    @Test
    void eventBoundsAreInclusiveAndReadingStopsAtTheFirstEventPastThem() {
        List<TraceEvent> all = tenEvents();
        Counted in = new Counted(all);
        WindowedReader w = new WindowedReader(in, events(4, 6), false);
        // events 0..3 are read past as it opens, so the first number is known before any replay
        assertThat(in.taken).isEqualTo(5);
        assertThat(w.firstIndex()).isEqualTo(4);
        assertThat(drain(w)).containsExactlyElementsOf(all.subList(4, 7));
        // 0..6 handed out, 7 read to see that it is past the window, 8 and 9 never read
        assertThat(in.taken).isEqualTo(8);
        w.close();
        assertThat(in.closed).isTrue();
    }

    @Test
    void aWindowAloneStartsWithAGapOnEveryVcpuAtItsFirstEventsTime() {
        List<TraceEvent> all = tenEvents();
        // one vCPU (the reader's header): one gap, of unknown size, at event 4's 14 µs
        assertThat(new WindowedReader(new Counted(all), events(4, 6), false).gapsBefore())
                .containsExactly(Gap.ofUnknownSize(0, 14_000));
        // nothing before event 0, and a warm replay has the events before
        assertThat(new WindowedReader(new Counted(all), events(0, 6), false).gapsBefore()).isEmpty();
        assertThat(new WindowedReader(new Counted(all), events(4, 6), true).gapsBefore()).isEmpty();
    }

    @Test
    void timeBoundsAreInclusiveAtThePrecisionTheyAreWrittenWith() {
        List<TraceEvent> all = tenEvents();
        // 0.000014 .. 0.000017: events at 14, 15, 16 and 17 µs, i.e. 4..7
        assertThat(drain(new WindowedReader(new Counted(all), times("0.000014", "0.000017"), false)))
                .containsExactlyElementsOf(all.subList(4, 8));
        // 0.00001 has five decimals: every event printing as 0.00001 (10..19 µs) is at or before it
        assertThat(drain(new WindowedReader(new Counted(all), times("0.00001", "0.00001"), false)))
                .containsExactlyElementsOf(all);
        // nine decimals: exactly the event at 14,000 ns and no later one
        assertThat(drain(new WindowedReader(new Counted(all), times("0.000014000", "0.000014000"), false)))
                .containsExactly(all.get(4));
    }

    @Test
    void warmHandsOutTheEventsBeforeTheWindowAndMarksWhereItStarts() {
        List<TraceEvent> all = tenEvents();
        Counted in = new Counted(all);
        WindowedReader w = new WindowedReader(in, times("0.000013", "0.000015"), true);
        assertThat(w.firstIndex()).isZero();
        List<TraceEvent> seen = new ArrayList<>();
        while (w.hasNext()) {
            seen.add(w.next());
            // the start is known by the time its event is handed out, not before
            assertThat(w.start().known()).isEqualTo(seen.size() > 3);
        }
        assertThat(seen).containsExactlyElementsOf(all.subList(0, 6));
        assertThat(w.start().index()).isEqualTo(3);
        assertThat(w.start().before(2)).isTrue();
        assertThat(w.start().before(3)).isFalse();
        assertThat(in.taken).isEqualTo(7);
    }

    @Test
    void aWindowWithNoEventIsAnInputErrorSayingWhatWasRead() {
        assertThatThrownBy(() -> new WindowedReader(new Counted(tenEvents()), events(10, 12), false))
                .isInstanceOf(TraceInputException.class)
                .hasMessage("t.csv: no event in the window --from-event 10 --to-event 12 (10 events read)");
        // between two events: 14.5 µs .. 14.9 µs holds none; the reader stops at event 5 (15 µs)
        assertThatThrownBy(() -> new WindowedReader(new Counted(tenEvents()), times("0.0000145", "0.0000149"), false))
                .isInstanceOf(TraceInputException.class)
                .hasMessage("t.csv: no event in the window --from-time 0.0000145 --to-time 0.0000149 (the last event"
                        + " read is at 0.000015000 s)");
        // with warm it is found only at the end of the input
        WindowedReader warm = new WindowedReader(new Counted(tenEvents()), events(10, 12), true);
        assertThatThrownBy(() -> drain(warm)).isInstanceOf(TraceInputException.class)
                .hasMessageContaining("no event in the window");
    }

    @Test
    void aTimeBoundNeedsEveryEventsTimestamp() {
        List<TraceEvent> events = List.of(FlushTlb.user(0, 1_000), FlushTlb.user(0, TraceEvent.NO_TIMESTAMP));
        WindowedReader w = new WindowedReader(new Counted(events), times("0", "1"), false);
        assertThat(w.next()).isEqualTo(events.get(0));
        assertThatThrownBy(w::hasNext).isInstanceOf(TraceInputException.class)
                .hasMessage("t.csv: event 1 (flush_tlb) has no timestamp, which --from-time 0 --to-time 1 needs");
    }
}
