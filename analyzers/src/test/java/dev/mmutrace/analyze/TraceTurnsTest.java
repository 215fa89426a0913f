package dev.mmutrace.analyze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Traces taking turns on fewer threads: each replayed whole, alone, in order; failures as on one thread. */
class TraceTurnsTest {
    private static final long SLICE = TraceTurns.SLICE_EVENTS;

    /** A trace of {@code events} events that counts what it is given and fails at {@code failAt} events, if set. */
    private static final class FakeTurn implements TraceTurns.Turn<String> {
        final int trace;
        final long events;
        final long failAt;
        final List<FakeTurn> closedLog;
        final AtomicInteger openNow;
        long done;
        boolean held;
        int closes;

        FakeTurn(int trace, long events, long failAt, List<FakeTurn> closedLog, AtomicInteger openNow) {
            this.trace = trace;
            this.events = events;
            this.failAt = failAt;
            this.closedLog = closedLog;
            this.openNow = openNow;
        }

        @Override
        public boolean advance(long max) {
            assertThat(held).as("trace %s held by two threads at once", trace).isFalse();
            held = true;
            try {
                long to = Math.min(events, done + max);
                if (failAt >= 0 && failAt < to) {
                    done = failAt;
                    throw new IllegalStateException("trace " + trace + " fails at event " + failAt);
                }
                done = to;
                return done < events;
            } finally {
                held = false;
            }
        }

        @Override
        public String finish() {
            return "trace " + trace + ": " + done + " of " + events;
        }

        @Override
        public void close() {
            closes++;
            openNow.decrementAndGet();
            closedLog.add(this);
        }
    }

    private final List<FakeTurn> started = Collections.synchronizedList(new ArrayList<>());
    private final List<FakeTurn> closed = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger openNow = new AtomicInteger();
    private final AtomicInteger mostOpen = new AtomicInteger();

    private TraceTurns.Turn<String> start(int trace, long events, long failAt) {
        FakeTurn t = new FakeTurn(trace, events, failAt, closed, openNow);
        mostOpen.accumulateAndGet(openNow.incrementAndGet(), Math::max);
        started.add(t);
        return t;
    }

    @Test
    void everyTraceIsReplayedToItsEndAndTheReportsComeInInputOrder() {
        // lengths around the slice: none, one event, exactly one slice, a slice and a bit, several
        long[] lengths = {0, 1, SLICE, SLICE + 1, 3 * SLICE + 7, 100_000};
        List<String> reports = TraceTurns.replay(lengths.length, i -> start(i, lengths[i], -1), 2);

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++) {
            expected.add("trace " + i + ": " + lengths[i] + " of " + lengths[i]);
        }
        assertThat(reports).isEqualTo(expected);
        assertThat(started).hasSize(lengths.length).allSatisfy(t -> assertThat(t.closes).isEqualTo(1));
    }

    @Test
    void atMostTwiceAsManyTracesAsThreadsAreOpenAtOnce() {
        List<String> reports = TraceTurns.replay(10, i -> start(i, 5 * SLICE, -1), 2);

        assertThat(reports).hasSize(10);
        assertThat(mostOpen.get()).isBetween(1, 4);
        assertThat(openNow.get()).isZero();
    }

    @Test
    void theFirstFailingTraceInInputOrderFailsTheWholeWithItsOwnException() {
        // trace 1 fails in its first slice, trace 0 only in its fourth: on one thread trace 0's
        // failure would come first, so it is the one thrown whichever thread met its failure first
        long[] failAt = {3 * SLICE + 5, 10, -1, -1};
        assertThatThrownBy(() -> TraceTurns.replay(4, i -> start(i, 4 * SLICE, failAt[i]), 2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("trace 0 fails at event " + (3 * SLICE + 5));
        assertThat(started).allSatisfy(t -> assertThat(t.closes).isEqualTo(1));
    }

    @Test
    void oneThreadTakesTheTracesInTurnAndStillEndsEachOne() {
        List<String> reports = TraceTurns.replay(3, i -> start(i, 2 * SLICE + i, -1), 1);

        assertThat(reports).containsExactly("trace 0: " + (2 * SLICE) + " of " + (2 * SLICE),
                "trace 1: " + (2 * SLICE + 1) + " of " + (2 * SLICE + 1),
                "trace 2: " + (2 * SLICE + 2) + " of " + (2 * SLICE + 2));
    }
}
