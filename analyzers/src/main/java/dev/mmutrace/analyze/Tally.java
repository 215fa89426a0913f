package dev.mmutrace.analyze;

import com.google.common.collect.ImmutableSortedMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts by name (reason codes, exit causes, flush kinds): the by_* maps of a report.
 *
 * <p>A tally is added to once per observation of its kind (every hypercall, exit, ignored
 * event), and the names are nearly always the same few string constants the models pass. So the
 * last names counted are looked up by identity first, before the map: hashing and comparing the
 * name in the map was 4.7% of a replay's samples (perf, the batch figure's 4 traces, 2026-12-07).
 * A name equal to one of them but another instance simply goes to the map, which holds the count.
 */
final class Tally {
    private static final int RECENT = 8;

    private final Map<String, long[]> counts = new HashMap<>();
    private final String[] recentNames = new String[RECENT];
    private final long[][] recentCounts = new long[RECENT][];
    private int nextRecent;

    void add(String name, long n) {
        for (int i = 0; i < RECENT; i++) {
            if (recentNames[i] == name) {
                recentCounts[i][0] += n;
                return;
            }
        }
        long[] c = counts.computeIfAbsent(name, k -> new long[1]);
        c[0] += n;
        recentNames[nextRecent] = name;
        recentCounts[nextRecent] = c;
        nextRecent = (nextRecent + 1) % RECENT;
    }

    ImmutableSortedMap<String, Long> toMap() {
        ImmutableSortedMap.Builder<String, Long> b = ImmutableSortedMap.naturalOrder();
        counts.forEach((name, c) -> b.put(name, c[0]));
        return b.build();
    }
}
