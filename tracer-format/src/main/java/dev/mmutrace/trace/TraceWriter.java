package dev.mmutrace.trace;

/**
 * A trace being written: the header is given when the writer is created, events follow one at a
 * time, and {@link #close()} finishes the file. A writer that is not closed has not written a
 * complete trace.
 */
public interface TraceWriter extends AutoCloseable {

    void write(TraceEvent event);

    @Override
    void close();
}
