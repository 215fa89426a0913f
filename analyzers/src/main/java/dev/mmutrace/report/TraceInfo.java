package dev.mmutrace.report;

import com.google.common.collect.ImmutableSortedMap;
import java.util.Optional;

/**
 * What a report says about the trace itself: where it came from and what it holds; with a
 * window, {@code events} counts the window's events only.
 */
public record TraceInfo(String path, long events, String pagingMode, int vcpus,
        ImmutableSortedMap<String, String> labels, Optional<WindowInfo> window, Gaps gaps) {

    public TraceInfo {
        // a report written before gaps existed reads back as a trace without any
        gaps = gaps == null ? Gaps.NONE : gaps;
    }

    /** The number after the last event counted: the trace's length, or the window's end. */
    long endEvent() {
        return window.map(w -> w.lastEvent() + 1).orElse(events);
    }
}
