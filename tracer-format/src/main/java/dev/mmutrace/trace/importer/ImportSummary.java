package dev.mmutrace.trace.importer;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.mmutrace.trace.EventType;
import it.unimi.dsi.fastutil.objects.Object2LongOpenHashMap;
import java.util.OptionalLong;

/**
 * What an import did with its input: lines (text) or records (binary) read, events written by kind, what it skipped and
 * why, and where it had to approximate. The command line prints {@link #describe()} so a reader
 * of a report knows which of the trace's lines the figures stand on.
 */
public record ImportSummary(String source, String unit, long lines, long events,
        ImmutableSortedMap<String, Long> emitted,
        ImmutableSortedMap<String, Long> skipped,
        ImmutableSortedMap<String, Long> approximated,
        String vcpusFrom, String pfnLimitFrom) {

    /** The width the event kinds are padded to, so that their counts line up. */
    private static final int KIND_WIDTH = 18;

    /**
     * One line per fact, most important first. Built by concatenation, not {@code String.format}:
     * the first format of a run initialises {@code java.util.Formatter} and the locale's number
     * symbols, some 10-20 ms that every import paid after its last line (docs/performance.md,
     * Start-up); and the counts are then plain ASCII digits in every locale, like the rest of
     * the output.
     */
    public ImmutableList<String> describe() {
        ImmutableList.Builder<String> b = ImmutableList.builder();
        b.add(source + ": " + lines + " " + unit + "s, " + events + " events imported");
        emitted.forEach((k, v) -> b.add("  imported " + k + " ".repeat(Math.max(1, KIND_WIDTH + 1 - k.length())) + v));
        b.add("  vcpus: " + vcpusFrom);
        b.add("  pfn_limit: " + pfnLimitFrom);
        skipped.forEach((k, v) -> b.add("  skipped " + v + ": " + k));
        approximated.forEach((k, v) -> b.add("  approximated " + v + ": " + k));
        return b.build();
    }

    /**
     * The mutable counts an import keeps while it runs: by event type in an array and by reason
     * in a primitive map, so counting a line boxes nothing; sorted only for a snapshot.
     */
    public static final class Tally {
        private long lines;
        private long events;
        private final long[] emitted = new long[EventType.values().length];
        private final Object2LongOpenHashMap<String> skipped = new Object2LongOpenHashMap<>();
        private final Object2LongOpenHashMap<String> approximated = new Object2LongOpenHashMap<>();

        /** One more line (or record) read from the input. */
        public void line() {
            lines++;
        }

        void emitted(EventType type) {
            events++;
            emitted[type.ordinal()]++;
        }

        public void skipped(String reason) {
            skipped.addTo(reason, 1);
        }

        public void approximated(String reason) {
            approximated.addTo(reason, 1);
        }

        /**
         * The tracer lost events on {@code cpu} ({@code count} of them, or an unknown number): the
         * trace has a gap there, and that cpu's translation state is unknown after it.
         */
        void lost(int cpu, OptionalLong count) {
            approximated.addTo("cpu " + cpu + ": gaps where the tracer lost events (its state is unknown after each)", 1);
            if (count.isPresent()) {
                approximated.addTo("cpu " + cpu + ": events the tracer lost in those gaps (where it gave a count)",
                        count.getAsLong());
            }
        }

        ImportSummary snapshot(String source, String unit, String vcpusFrom, String pfnLimitFrom) {
            ImmutableSortedMap.Builder<String, Long> byType = ImmutableSortedMap.naturalOrder();
            for (EventType t : EventType.values()) {
                if (emitted[t.ordinal()] > 0) {
                    byType.put(t.wireName(), emitted[t.ordinal()]);
                }
            }
            return new ImportSummary(source, unit, lines, events, byType.build(), ImmutableSortedMap.copyOf(skipped),
                    ImmutableSortedMap.copyOf(approximated), vcpusFrom, pfnLimitFrom);
        }
    }
}
