package dev.mmutrace.analyze;

import com.google.common.collect.ImmutableSortedMap;
import java.util.Arrays;

/** Counts by name (reason codes, exit causes, flush kinds): the by_* maps of a report. */
final class Tally {
    private final NameIndex names = new NameIndex();
    /** counts[i]: the count of the name numbered i. */
    private long[] counts = new long[8];

    void add(String name, long n) {
        int i = names.indexOf(name);
        if (i == counts.length) {
            counts = Arrays.copyOf(counts, counts.length * 2);
        }
        counts[i] += n;
    }

    ImmutableSortedMap<String, Long> toMap() {
        ImmutableSortedMap.Builder<String, Long> b = ImmutableSortedMap.naturalOrder();
        for (int i = 0; i < names.size(); i++) {
            b.put(names.name(i), counts[i]);
        }
        return b.build();
    }
}
