package dev.mmutrace.report;

import com.google.common.collect.ImmutableSortedMap;

/**
 * Hypercalls a model's guest port issued. {@code total} counts traps: a call outside a batch once,
 * a multicall batch once; {@code byName} counts every call, batched ones included.
 */
public record Hypercalls(long total, ImmutableSortedMap<String, Long> byName) {
}
