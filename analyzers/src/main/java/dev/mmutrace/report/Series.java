package dev.mmutrace.report;

import com.google.common.collect.ImmutableList;

/** A model's activity over time, in buckets of {@code interval} events. */
public record Series(long interval, ImmutableList<SeriesBucket> buckets) {
}
