package dev.mmutrace.analyze;

import dev.mmutrace.trace.window.TraceWindow;

/**
 * A replay of part of a trace: the window, and whether the events before it warm the models up
 * (replayed, never counted) or are left out (the state before the window is unknown, SPEC §2.2).
 */
public record WindowRun(TraceWindow window, boolean warm) {
}
