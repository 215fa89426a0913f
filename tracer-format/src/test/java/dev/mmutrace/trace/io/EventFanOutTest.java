package dev.mmutrace.trace.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Every reader of a fan-out sees the trace's events in order, fails where the trace fails, and no
 * reader waits for ever when another stops early. Sizes are chosen around
 * {@link EventFanOut#BATCH_EVENTS}, where a batch ends, and beyond the
 * {@value EventFanOut#BATCHES_AHEAD} batches a follower holds.
 */
class EventFanOutTest {
    private static final int BATCH = EventFanOut.BATCH_EVENTS;

    @Test
    void everyReaderSeesEveryEventInOrder() throws Exception {
        for (int n : new int[] {0, 1, BATCH - 1, BATCH, BATCH + 1, 9 * BATCH + 17}) {
            List<TraceEvent> events = ListReader.events(n);
            ListReader inner = new ListReader(events, -1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try (EventFanOut fan = new EventFanOut(inner, 2)) {
                Future<List<TraceEvent>> a = pool.submit(() -> readAll(fan.follower(0)));
                Future<List<TraceEvent>> b = pool.submit(() -> readAll(fan.follower(1)));
                assertThat(fan.leader().header()).isSameAs(ListReader.HEADER);
                assertThat(readAll(fan.leader())).as("%d events", n).isEqualTo(events);
                assertThat(a.get()).isEqualTo(events);
                assertThat(b.get()).isEqualTo(events);
            } finally {
                pool.shutdownNow();
            }
            assertThat(inner.closed).isTrue();
        }
    }

    @Test
    void aBadRecordFailsEveryReaderRightAfterTheGoodEventsBeforeIt() throws Exception {
        int bad = 2 * BATCH + 5; // in the third batch
        ListReader inner = new ListReader(ListReader.events(3 * BATCH), bad);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (EventFanOut fan = new EventFanOut(inner, 1)) {
            Future<Outcome> follower = pool.submit(() -> outcome(fan.follower(0)));
            Outcome leader = outcome(fan.leader());
            for (Outcome o : List.of(leader, follower.get())) {
                assertThat(o.events).hasSize(bad).isEqualTo(ListReader.events(bad));
                assertThat(o.failure).isSameAs(inner.failure);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLeaderThatStopsEarlyEndsTheFollowersStreams() throws Exception {
        ListReader inner = new ListReader(ListReader.events(20 * BATCH), -1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (EventFanOut fan = new EventFanOut(inner, 1)) {
            Future<Outcome> follower = pool.submit(() -> outcome(fan.follower(0)));
            TraceReader leader = fan.leader();
            leader.next(); // the first batch is out; then the leader's thread gives up
            leader.close();
            Outcome o = follower.get();
            assertThat(o.events).isEqualTo(ListReader.events(BATCH));
            assertThat(o.failure).isInstanceOf(IllegalStateException.class)
                    .hasMessage("the replay of list stopped on another thread before the end of the trace");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClosedFollowerHoldsTheLeaderUpNoLonger() {
        // twenty batches, far more than a follower holds: only its closing lets the leader on
        ListReader inner = new ListReader(ListReader.events(20 * BATCH), -1);
        try (EventFanOut fan = new EventFanOut(inner, 1)) {
            TraceReader follower = fan.follower(0);
            follower.close();
            assertThat(readAll(fan.leader())).hasSize(20 * BATCH);
        }
    }

    private record Outcome(List<TraceEvent> events, RuntimeException failure) {
    }

    private static Outcome outcome(TraceReader r) {
        List<TraceEvent> read = new ArrayList<>();
        try (r) {
            while (r.hasNext()) {
                read.add(r.next());
            }
        } catch (RuntimeException e) {
            return new Outcome(read, e);
        }
        throw new AssertionError("reading did not fail");
    }

    private static List<TraceEvent> readAll(TraceReader r) {
        List<TraceEvent> read = new ArrayList<>();
        try (r) {
            r.forEachRemaining(read::add);
        }
        return read;
    }
}
