package dev.mmutrace.report;

import com.google.common.collect.ImmutableSortedMap;

/** One trace replayed through a set of models: the report unit every writer renders. */
public record TraceReport(TraceInfo trace, ImmutableSortedMap<String, ModelReport> models) {
}
