package dev.mmutrace.trace.io;

import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceReader;
import java.util.concurrent.BlockingQueue;

/**
 * Events decoded in one go on one thread for readers on others ({@link ReadAheadReader},
 * {@link EventFanOut}); {@code failure} or {@code last} ends the stream after the {@code count}
 * events. A bad record stops the run after the last good event before it, so every reader fails
 * at the place the trace's own reader would.
 */
record DecodedEvents(TraceEvent[] events, int count, Throwable failure, boolean last) {
    /** A few thousand events: the hand-over between threads then costs next to nothing per event. */
    static final int EVENTS = 4096;

    /** Reads up to {@link #EVENTS} events of {@code reader} into {@code into}. */
    static DecodedEvents readFrom(TraceReader reader, TraceEvent[] into) {
        int n = 0;
        try {
            while (n < EVENTS && reader.hasNext()) {
                TraceEvent e = reader.next(); // counted only once it is read: next() may throw
                into[n++] = e;
            }
            return new DecodedEvents(into, n, null, n < EVENTS);
        } catch (RuntimeException | Error e) {
            return new DecodedEvents(into, n, e, true);
        }
    }

    /** No events, and the stream ends with {@code why}. */
    static DecodedEvents endedBy(Throwable why) {
        return new DecodedEvents(new TraceEvent[0], 0, why, true);
    }

    /**
     * The next run the decoding thread handed over, waited for. Being interrupted while waiting is
     * the reading thread's problem, not the trace's: an IllegalStateException naming {@code source}.
     */
    static DecodedEvents takeFrom(BlockingQueue<DecodedEvents> ready, String source) {
        try {
            return ready.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for events of " + source, e);
        }
    }

    /**
     * Whether the stream ends after this run's events, asked once they are all read: the
     * reader's failure is thrown here, where the trace's own reader would have thrown it.
     */
    boolean endsStream() {
        if (failure != null) {
            throw rethrown();
        }
        return last;
    }

    /** The reader's own exception, so that a bad record's message reaches the user unchanged. */
    RuntimeException rethrown() {
        if (failure instanceof Error err) {
            throw err;
        }
        return (RuntimeException) failure;
    }
}
