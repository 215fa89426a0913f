package dev.mmutrace.report.diff;

import com.google.common.collect.ImmutableList;

/**
 * What changed between two reports: every changed metric, the traces and models found on one side
 * only, and the thresholds that were applied.
 */
public record DiffResult(String basePath, String newPath, ImmutableList<MetricChange> changes,
        ImmutableList<String> unmatched, ImmutableList<Threshold> thresholds) {

    public long regressions() {
        return changes.stream().filter(c -> c.crossed().isPresent()).count();
    }
}
