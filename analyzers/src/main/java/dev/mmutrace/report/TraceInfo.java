package dev.mmutrace.report;

import com.google.common.collect.ImmutableSortedMap;

/** What a report says about the trace itself: where it came from and what it holds. */
public record TraceInfo(String path, long events, String pagingMode, int vcpus,
        ImmutableSortedMap<String, String> labels) {
}
