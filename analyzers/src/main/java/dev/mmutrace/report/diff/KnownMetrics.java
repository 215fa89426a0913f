package dev.mmutrace.report.diff;

import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The models and metrics two reports hold, so that a {@code --threshold} naming neither is refused:
 * {@code flushes.wased=+0} or {@code lgeust:exits.total=+0} would otherwise cover nothing, and the
 * gate would pass whatever changed. The refusal lists what the reports do hold: the models, or the
 * metrics of the mistyped one's group ({@code flushes.*}, one level down), or the groups when even that is
 * unknown.
 */
final class KnownMetrics {
    private final Map<String, SortedSet<String>> metricsByModel = new TreeMap<>();

    void addAll(Map<String, Map<String, Map<String, Long>>> traces) {
        for (Map<String, Map<String, Long>> byModel : traces.values()) {
            byModel.forEach((model, metrics) -> metricsByModel.computeIfAbsent(model, m -> new TreeSet<>())
                    .addAll(metrics.keySet()));
        }
    }

    /** Throws {@link IllegalArgumentException} (a usage error) when {@code t} covers nothing in the reports. */
    void check(Threshold t) {
        if (!t.model().isEmpty() && !metricsByModel.containsKey(t.model())) {
            throw new IllegalArgumentException("--threshold " + t + ": no model '" + t.model() + "' in the reports"
                    + " (they hold " + String.join(", ", metricsByModel.keySet()) + ")");
        }
        SortedSet<String> metrics = new TreeSet<>();
        metricsByModel.forEach((model, m) -> {
            if (t.model().isEmpty() || t.model().equals(model)) {
                metrics.addAll(m);
            }
        });
        if (metrics.stream().anyMatch(m -> t.covers(t.model(), m))) {
            return;
        }
        String group = t.metric().split("\\.")[0];
        SortedSet<String> sameGroup = metrics.stream().filter(m -> m.equals(group) || m.startsWith(group + "."))
                .collect(Collectors.toCollection(TreeSet::new));
        String known = sameGroup.isEmpty()
                ? "metrics begin with " + metrics.stream().map(m -> m.split("\\.")[0]).distinct()
                        .collect(Collectors.joining(", "))
                : "known under " + group + ": " + String.join(", ", nextLevel(group, sameGroup));
        throw new IllegalArgumentException("--threshold " + t + ": no metric '" + t.metric() + "' in the reports"
                + (t.model().isEmpty() ? "" : " for model " + t.model()) + " (" + known + ")");
    }

    /**
     * The group's metrics one level down, deeper ones folded into {@code group.key.*}: a real
     * report's {@code flushes} holds some forty metrics, which would not fit on the one line.
     */
    private static SortedSet<String> nextLevel(String group, SortedSet<String> metrics) {
        SortedSet<String> level = new TreeSet<>();
        for (String m : metrics) {
            String[] parts = m.split("\\.");
            level.add(parts.length <= 2 ? m : group + "." + parts[1] + ".*");
        }
        return level;
    }
}
