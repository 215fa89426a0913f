package dev.mmutrace.trace.io;

import com.google.common.collect.AbstractIterator;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.TraceReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One trace decoded once and read by several threads, each seeing every event in order: the
 * {@link #leader()} reader decodes, {@value #BATCH_EVENTS} events at a time, and hands each
 * batch to every {@link #follower} before its own thread reads it. So a replay can put its models
 * on several threads without decoding the trace more than once, the decoding done on the
 * leader's thread between its own events.
 *
 * <p>The subtle things: a batch's array is shared by every reader and never written again, so
 * events cross threads with no copy; each follower holds at most {@value #BATCHES_AHEAD} batches,
 * so the leader waits for the slowest follower rather than holding the trace; and every way a
 * reader can stop early is told to the others so that no thread waits for ever: a follower that
 * is closed is no longer fed, and a leader that is closed before the end (its thread failed)
 * ends every follower's stream with an exception saying so. A bad record fails every reader at
 * the same place, after the last good event before it, with the reader's own exception.
 */
public final class EventFanOut implements AutoCloseable {
    static final int BATCH_EVENTS = DecodedEvents.EVENTS;
    static final int BATCHES_AHEAD = 4;

    private final TraceReader reader;
    private final Leader leader = new Leader();
    private final List<Follower> followers = new ArrayList<>();

    /** {@code followers} readers beside the leader; closing the fan-out closes {@code reader}. */
    public EventFanOut(TraceReader reader, int followers) {
        this.reader = reader;
        for (int i = 0; i < followers; i++) {
            this.followers.add(new Follower());
        }
    }

    /** The reader that decodes; read it on one thread only. */
    public TraceReader leader() {
        return leader;
    }

    /** Follower {@code i}'s reader (0-based); read it on one thread only, not the leader's. */
    public TraceReader follower(int i) {
        return followers.get(i);
    }

    /** Ends the followers' streams if the leader has not, then closes the reader underneath. */
    @Override
    public void close() {
        leader.close();
        reader.close();
    }

    private abstract class View extends AbstractIterator<TraceEvent> implements TraceReader {
        DecodedEvents current;
        int at;

        @Override
        public TraceHeader header() {
            return reader.header();
        }

        @Override
        public String source() {
            return reader.source();
        }

        /**
         * Within the launcher's inlining limit (-XX:FreqInlineSize=70 bytecodes), so that C2
         * inlines the per-event path into the replay's loop; a new batch is {@link #fromNextBatch()}.
         */
        @Override
        protected TraceEvent computeNext() {
            if (current != null && at < current.count()) {
                return current.events()[at++];
            }
            return fromNextBatch();
        }

        private TraceEvent fromNextBatch() {
            while (current == null || at == current.count()) {
                if (current != null && current.endsStream()) {
                    return endOfData();
                }
                current = nextBatch();
                at = 0;
            }
            return current.events()[at++];
        }

        abstract DecodedEvents nextBatch();
    }

    private final class Leader extends View {
        private boolean ended;

        @Override
        DecodedEvents nextBatch() {
            DecodedEvents b = DecodedEvents.readFrom(reader, new TraceEvent[BATCH_EVENTS]);
            handOut(b);
            return b;
        }

        private void handOut(DecodedEvents b) {
            ended |= b.last();
            for (Follower f : followers) {
                f.offer(b);
            }
        }

        @Override
        public void close() {
            if (!ended) {
                handOut(DecodedEvents.endedBy(new IllegalStateException("the replay of "
                        + reader.source() + " stopped on another thread before the end of the trace")));
            }
        }
    }

    private final class Follower extends View {
        private final BlockingQueue<DecodedEvents> ready = new ArrayBlockingQueue<>(BATCHES_AHEAD);
        private volatile boolean closed;

        /** Waits for room, unless this follower is closed: then nobody reads it any more. */
        void offer(DecodedEvents b) {
            try {
                while (!closed && !ready.offer(b, 10, TimeUnit.MILLISECONDS)) {
                    // a full queue: its thread is behind, and will make room
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while handing events of " + reader.source()
                        + " to another thread", e);
            }
        }

        @Override
        DecodedEvents nextBatch() {
            return DecodedEvents.takeFrom(ready, reader.source());
        }

        @Override
        public void close() {
            closed = true;
            ready.clear();
        }
    }
}
