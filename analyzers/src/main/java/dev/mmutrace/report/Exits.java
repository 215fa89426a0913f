package dev.mmutrace.report;

import com.google.common.collect.ImmutableSortedMap;

/** Switches from the guest into the hypervisor, by cause. */
public record Exits(long total, ImmutableSortedMap<String, Long> byKind) {
}
