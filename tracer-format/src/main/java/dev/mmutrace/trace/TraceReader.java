package dev.mmutrace.trace;

import java.util.Iterator;

/**
 * A trace opened for reading: its header, then its events one at a time. Never holds the whole
 * trace. {@link #next()} throws {@link TraceInputException} at the first bad record.
 */
public interface TraceReader extends Iterator<TraceEvent>, AutoCloseable {

    TraceHeader header();

    /** The file (or other source) name used in error messages and reports. */
    String source();

    @Override
    void close();
}
