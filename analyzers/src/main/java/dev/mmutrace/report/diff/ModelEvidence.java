package dev.mmutrace.report.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one report says about one model beyond its counts, for showing a regression's cause: the
 * first validation failures and missed flushes (the report's first-N lists) and the time series.
 * Reports without a list or a series (older ones, hand-made ones) give empty ones.
 */
public record ModelEvidence(ImmutableList<FirstEvent> failures, ImmutableList<FirstEvent> missedFlushes,
        long events, ImmutableList<Long> bucketStarts, ImmutableMap<String, ImmutableList<Long>> series) {

    /**
     * The series column that counts a metric over time, by the metric's key path; metrics without
     * one ({@code estimated_cycles}, the by-reason and by-kind splits) get no chart.
     */
    private static final Map<String, String> SERIES_OF = Map.of(
            "validation_failures.total", "validation_failures",
            "flushes.total", "flushes",
            "flushes.wasted", "wasted_flushes",
            "flushes.missed", "missed_flushes",
            "exits.total", "exits",
            "hypercalls.total", "hypercalls",
            "shadow.entries_filled", "shadow_fills",
            "shadow.entries_discarded", "shadow_discarded",
            "shadow.pgdir_misses", "pgdir_misses");

    static final ModelEvidence NONE = new ModelEvidence(ImmutableList.of(), ImmutableList.of(), 0, ImmutableList.of(),
            ImmutableMap.of());

    /** The evidence in {@code model} (a {@code models.*} object) of a trace of {@code events} events. */
    static ModelEvidence of(JsonNode model, long events) {
        ImmutableList.Builder<FirstEvent> failures = ImmutableList.builder();
        for (JsonNode f : model.path("validation_failures").path("first")) {
            failures.add(new FirstEvent(f.path("event").asLong(), f.path("cpu").asInt(), f.path("reason").asText(),
                    f.path("message").asText()));
        }
        ImmutableList.Builder<FirstEvent> missed = ImmutableList.builder();
        for (JsonNode m : model.path("flushes").path("missed_first")) {
            missed.add(new FirstEvent(m.path("event").asLong(), m.path("cpu").asInt(), m.path("why").asText(),
                    "vaddr " + m.path("vaddr").asText()));
        }
        // A bucket without a column counts 0 there, so every column has one value per bucket.
        ImmutableList.Builder<Long> starts = ImmutableList.builder();
        List<Map<String, Long>> buckets = new ArrayList<>();
        Set<String> names = new TreeSet<>();
        for (JsonNode bucket : model.path("series").path("buckets")) {
            starts.add(bucket.path("first_event").asLong());
            Map<String, Long> counts = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = bucket.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().equals("first_event") && e.getValue().isIntegralNumber()) {
                    counts.put(e.getKey(), e.getValue().asLong());
                }
            }
            names.addAll(counts.keySet());
            buckets.add(counts);
        }
        ImmutableMap.Builder<String, ImmutableList<Long>> series = ImmutableMap.builder();
        for (String name : names) {
            series.put(name, buckets.stream().map(b -> b.getOrDefault(name, 0L)).collect(ImmutableList.toImmutableList()));
        }
        return new ModelEvidence(failures.build(), missed.build(), events, starts.build(), series.build());
    }

    /** The list of first events a regression of {@code metric} is about, if it is about one. */
    Optional<ImmutableList<FirstEvent>> firstEventsOf(String metric) {
        if (metric.startsWith("validation_failures.")) {
            return Optional.of(failures);
        }
        if (metric.equals("flushes.missed") || metric.startsWith("flushes.missed_by.")) {
            return Optional.of(missedFlushes);
        }
        return Optional.empty();
    }

    /**
     * {@code metric} added up over the events, as points (events replayed so far, count so far)
     * from (0, 0) to the end of the trace: the last point is the report's figure, and where two
     * reports' lines part is where they start to differ. Empty when the report has no series for it.
     */
    Optional<ImmutableList<long[]>> cumulative(String metric) {
        String column = SERIES_OF.get(metric);
        if (column == null || !series.containsKey(column) || bucketStarts.isEmpty()) {
            return Optional.empty();
        }
        ImmutableList<Long> values = series.get(column);
        ImmutableList.Builder<long[]> points = ImmutableList.builder();
        points.add(new long[] {0, 0});
        long sum = 0;
        for (int i = 0; i < values.size(); i++) {
            sum += values.get(i);
            long end = i + 1 < bucketStarts.size() ? bucketStarts.get(i + 1) : Math.max(events, bucketStarts.get(i) + 1);
            points.add(new long[] {end, sum});
        }
        return Optional.of(points.build());
    }

    /** Whether a chart can show {@code metric} at all. */
    static boolean charted(String metric) {
        return SERIES_OF.containsKey(metric);
    }
}
