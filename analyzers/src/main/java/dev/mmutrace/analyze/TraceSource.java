package dev.mmutrace.analyze;

import dev.mmutrace.trace.TraceReader;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A trace to replay: the name reports show, how to open it (opened on the worker that replays it),
 * and the window of it to replay, if not all of it.
 */
public record TraceSource(String path, Supplier<TraceReader> open, Optional<WindowRun> window) {

    /** The whole trace. */
    public TraceSource(String path, Supplier<TraceReader> open) {
        this(path, open, Optional.empty());
    }
}
