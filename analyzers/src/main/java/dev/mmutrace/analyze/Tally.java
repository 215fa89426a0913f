package dev.mmutrace.analyze;

import com.google.common.collect.ImmutableSortedMap;
import java.util.HashMap;
import java.util.Map;

/** Counts by name (reason codes, exit causes, flush kinds): the by_* maps of a report. */
final class Tally {
    private final Map<String, long[]> counts = new HashMap<>();

    void add(String name, long n) {
        counts.computeIfAbsent(name, k -> new long[1])[0] += n;
    }

    ImmutableSortedMap<String, Long> toMap() {
        ImmutableSortedMap.Builder<String, Long> b = ImmutableSortedMap.naturalOrder();
        counts.forEach((name, c) -> b.put(name, c[0]));
        return b.build();
    }
}
