package dev.mmutrace.bench;

import java.util.List;

/**
 * Several traces replayed through every model with one worker thread and with two (replay --jobs),
 * in turn round after round, in fresh child JVMs ({@link TimedChildren}).
 */
final class BatchScaling {
    static final double TARGET = 1.7;

    private BatchScaling() {
    }

    static Measured figures(BenchInputs inputs) {
        ChildRuns runs = TimedChildren.run(inputs, TimedWork.Work.BATCH, inputs.settings().timing(), inputs.batch());
        double one = runs.medians("jobs 1").wallSeconds();
        double two = runs.medians("jobs 2").wallSeconds();
        String what = inputs.batch().size() + " traces of " + inputs.settings().events() / 2 + " events, all models, "
                + TimedChildren.where(inputs) + ", median of " + runs.named("jobs 1").size() + " rounds in turn";
        MachineProbeReadings probe = runs.machineProbe("batch runs", List.of("jobs 1", "jobs 2"));
        return Measured.probed(List.of(
                Figure.shown("--jobs 1", one, "s", what),
                Figure.shown("--jobs 2", two, "s", what),
                Figure.held("speed-up", one / two, "x", TARGET, "--jobs 1 time / --jobs 2 time"),
                probe.figure()), probe);
    }
}
