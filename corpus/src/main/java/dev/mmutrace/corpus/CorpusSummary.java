package dev.mmutrace.corpus;

import com.google.common.collect.ImmutableSortedMap;
import dev.mmutrace.report.SummaryTotals;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * The corpus added up: how many traces, which failed and why, each model's key figures over
 * every trace that replayed (the same {@link SummaryTotals} as {@code mmutrace replay}'s summary),
 * and the same per label value ({@code by_label.kernel."6.1".xen}). Built per trace on the
 * executors and added up pairwise, so the driver never holds the corpus; the sum does not depend
 * on the order the traces are added in.
 */
record CorpusSummary(long traces, long failed, ImmutableSortedMap<String, String> failures,
        ImmutableSortedMap<String, SummaryTotals> models,
        ImmutableSortedMap<String, ImmutableSortedMap<String, ImmutableSortedMap<String, SummaryTotals>>> byLabel)
        implements Serializable {

    static CorpusSummary of(TraceOutcome outcome) {
        if (outcome instanceof TraceOutcome.Broken b) {
            return new CorpusSummary(1, 1, ImmutableSortedMap.of(b.trace(), b.error()), ImmutableSortedMap.of(),
                    ImmutableSortedMap.of());
        }
        TraceOutcome.Replayed r = (TraceOutcome.Replayed) outcome;
        ImmutableSortedMap.Builder<String, ImmutableSortedMap<String, ImmutableSortedMap<String, SummaryTotals>>> labels =
                ImmutableSortedMap.naturalOrder();
        r.labels().forEach((key, value) -> labels.put(key, ImmutableSortedMap.of(value, r.totals())));
        return new CorpusSummary(1, 0, ImmutableSortedMap.of(), r.totals(), labels.build());
    }

    CorpusSummary plus(CorpusSummary other) {
        Map<String, String> failures = new TreeMap<>(this.failures);
        failures.putAll(other.failures);
        return new CorpusSummary(traces + other.traces, failed + other.failed, ImmutableSortedMap.copyOf(failures),
                sum(models, other.models), merge(byLabel, other.byLabel, (a, b) -> merge(a, b, CorpusSummary::sum)));
    }

    private static ImmutableSortedMap<String, SummaryTotals> sum(Map<String, SummaryTotals> a,
            Map<String, SummaryTotals> b) {
        return merge(a, b, SummaryTotals::plus);
    }

    private static <V> ImmutableSortedMap<String, V> merge(Map<String, V> a, Map<String, V> b,
            java.util.function.BinaryOperator<V> both) {
        Map<String, V> m = new TreeMap<>(a);
        b.forEach((k, v) -> m.merge(k, v, both));
        return ImmutableSortedMap.copyOf(m);
    }
}
