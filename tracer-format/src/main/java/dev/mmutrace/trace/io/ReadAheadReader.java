package dev.mmutrace.trace.io;

import com.google.common.collect.AbstractIterator;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.TraceReader;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A reader whose decoding runs ahead on a thread of its own, so that a replay with a core to
 * spare reads and decodes the next events while the models work on the last ones. Events come
 * out in the file's order, and a bad record fails {@link #next()} at the same place it would
 * fail the reader itself: right after the last good event before it.
 *
 * <p>The subtle things: events cross between the threads in batches, a few thousand at a time
 * through a short queue, so the hand-over costs next to nothing per event and at most
 * {@value #BATCHES_AHEAD} batches are held; and the events of the reader underneath are read
 * only by the decoding thread once it has started (its header and name, fixed when it was
 * opened, are still asked on the caller's), and it is closed only after that thread has stopped.
 */
public final class ReadAheadReader extends AbstractIterator<TraceEvent> implements TraceReader {
    static final int BATCH_EVENTS = DecodedEvents.EVENTS;
    static final int BATCHES_AHEAD = 4;

    private final TraceReader reader;
    private final BlockingQueue<DecodedEvents> ready = new ArrayBlockingQueue<>(BATCHES_AHEAD);
    /** Arrays the replay is done with, for the decoder to fill again. */
    private final BlockingQueue<TraceEvent[]> spare = new ArrayBlockingQueue<>(BATCHES_AHEAD + 2);
    private final Thread decoder;
    private DecodedEvents current;
    private int at;
    private boolean closed;

    /** Starts decoding {@code reader} on a new thread; closing this closes {@code reader}. */
    public ReadAheadReader(TraceReader reader) {
        this.reader = reader;
        this.decoder = new Thread(this::decode, "read-ahead " + reader.source());
        decoder.setDaemon(true); // a replay that stops early must not keep the JVM alive
        decoder.start();
    }

    @Override
    public TraceHeader header() {
        return reader.header();
    }

    @Override
    public String source() {
        return reader.source();
    }

    private void decode() {
        try {
            boolean last = false;
            while (!last) {
                TraceEvent[] events = spare.poll();
                if (events == null) {
                    events = new TraceEvent[BATCH_EVENTS];
                }
                DecodedEvents run = DecodedEvents.readFrom(reader, events);
                last = run.last();
                ready.put(run);
            }
        } catch (InterruptedException e) {
            // closed before the end: nobody is waiting for the rest
        } catch (Throwable t) {
            // the batch itself could not be made (out of memory): the replay must not wait forever
            ready.offer(DecodedEvents.endedBy(t));
        }
    }

    @Override
    protected TraceEvent computeNext() {
        if (closed) {
            throw new IllegalStateException(reader.source() + " was closed");
        }
        while (current == null || at == current.count()) {
            if (current != null) {
                if (current.endsStream()) {
                    return endOfData();
                }
                spare.offer(current.events());
            }
            current = DecodedEvents.takeFrom(ready, reader.source());
            at = 0;
        }
        TraceEvent e = current.events()[at];
        current.events()[at++] = null;
        return e;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        decoder.interrupt();
        boolean interrupted = false;
        while (decoder.isAlive()) {
            try {
                decoder.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        reader.close();
    }
}
