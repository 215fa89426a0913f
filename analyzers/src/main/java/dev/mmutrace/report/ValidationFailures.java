package dev.mmutrace.report;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;

/** Every refusal of a model, counted by reason code, with the first few in full. */
public record ValidationFailures(long total, long fatal, ImmutableSortedMap<String, Long> byReason,
        ImmutableList<FailureRecord> first) {
}
