package dev.mmutrace.report.diff;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

/**
 * What changed between two reports: every changed metric, the traces and models found on one side
 * only, the thresholds that were applied, and per compared trace what each report says about the
 * models beyond their counts (first events, time series), to show a regression's cause.
 */
public record DiffResult(String basePath, String newPath, ImmutableList<MetricChange> changes,
        ImmutableList<String> unmatched, ImmutableList<Threshold> thresholds,
        ImmutableMap<String, TraceEvidence> evidence) {

    public long regressions() {
        return changes.stream().filter(c -> c.crossed().isPresent()).count();
    }

    /** The changes that crossed a threshold, in report order (trace, model, metric). */
    public ImmutableList<MetricChange> regressed() {
        return changes.stream().filter(c -> c.crossed().isPresent()).collect(ImmutableList.toImmutableList());
    }

    /** What the reports say about {@code change}'s trace beyond its counts. */
    public TraceEvidence evidenceOf(MetricChange change) {
        return evidence.getOrDefault(change.trace(),
                new TraceEvidence(ImmutableMap.of(), ImmutableMap.of()));
    }
}
