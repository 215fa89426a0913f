package dev.mmutrace.analyze;

import dev.mmutrace.trace.TraceReader;
import java.util.function.Supplier;

/** A trace to replay: the name reports show, and how to open it (opened on the worker that replays it). */
public record TraceSource(String path, Supplier<TraceReader> open) {
}
