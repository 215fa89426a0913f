package dev.mmutrace.report.diff;

import java.util.Optional;

/** One metric of one model of one trace that changed between two reports, and the threshold it crossed, if any. */
public record MetricChange(String trace, String model, String metric, long base, long next,
        Optional<Threshold> crossed) {

    public long delta() {
        return next - base;
    }

    /** The relative change in percent; empty when the base is 0. */
    public Optional<Double> percent() {
        return base == 0 ? Optional.empty() : Optional.of((next - base) * 100.0 / Math.abs(base));
    }
}
