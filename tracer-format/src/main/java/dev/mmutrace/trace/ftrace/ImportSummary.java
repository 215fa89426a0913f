package dev.mmutrace.trace.ftrace;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an import did with its input: lines read, events written by kind, what it skipped and
 * why, and where it had to approximate. The command line prints {@link #describe()} so a reader
 * of a report knows which of the trace's lines the figures stand on.
 */
public record ImportSummary(String source, long lines, long events,
        ImmutableSortedMap<String, Long> emitted,
        ImmutableSortedMap<String, Long> skipped,
        ImmutableSortedMap<String, Long> approximated,
        String vcpusFrom, String pfnLimitFrom) {

    /** One line per fact, most important first. */
    public ImmutableList<String> describe() {
        ImmutableList.Builder<String> b = ImmutableList.builder();
        b.add(String.format("%s: %d lines, %d events imported", source, lines, events));
        emitted.forEach((k, v) -> b.add(String.format("  imported %-18s %d", k, v)));
        b.add("  vcpus: " + vcpusFrom);
        b.add("  pfn_limit: " + pfnLimitFrom);
        skipped.forEach((k, v) -> b.add(String.format("  skipped %d: %s", v, k)));
        approximated.forEach((k, v) -> b.add(String.format("  approximated %d: %s", v, k)));
        return b.build();
    }

    /** The mutable counts an import keeps while it runs. */
    static final class Tally {
        long lines;
        long events;
        final Map<String, Long> emitted = new TreeMap<>();
        final Map<String, Long> skipped = new TreeMap<>();
        final Map<String, Long> approximated = new TreeMap<>();

        void emitted(String kind) {
            events++;
            emitted.merge(kind, 1L, Long::sum);
        }

        void skipped(String reason) {
            skipped.merge(reason, 1L, Long::sum);
        }

        void approximated(String reason) {
            approximated.merge(reason, 1L, Long::sum);
        }

        ImportSummary snapshot(String source, String vcpusFrom, String pfnLimitFrom) {
            return new ImportSummary(source, lines, events, ImmutableSortedMap.copyOf(emitted),
                    ImmutableSortedMap.copyOf(skipped), ImmutableSortedMap.copyOf(approximated), vcpusFrom,
                    pfnLimitFrom);
        }
    }
}
