package dev.mmutrace.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Each model alone, replaying the fork-exec-exit workload's events already decoded into memory:
 * the engine, the model and the analyzers on one core, the decode measured separately. Timed in
 * fresh child JVMs ({@link TimedChildren}).
 */
final class ModelRates {
    static final double NATIVE_TARGET = 5_000_000;
    static final double XEN_TARGET = 5_000_000;
    static final double LGUEST_TARGET = 2_000_000;

    private ModelRates() {
    }

    static Measured figures(BenchInputs inputs) {
        ChildRuns runs = TimedChildren.run(inputs, TimedWork.Work.MODELS, inputs.settings().timing(),
                List.of(inputs.binary()));
        List<Figure> figures = new ArrayList<>(List.of(rate("native", NATIVE_TARGET, runs, inputs),
                rate("xen", XEN_TARGET, runs, inputs), rate("lguest", LGUEST_TARGET, runs, inputs)));
        MachineProbeReadings probe = runs.machineProbe("model runs", List.of("native", "xen", "lguest"));
        figures.add(probe.figure());
        return Measured.probed(figures, probe);
    }

    private static Figure rate(String model, double target, ChildRuns runs, BenchInputs inputs) {
        long events = inputs.settings().events();
        int warmups = inputs.settings().timing().warmups();
        return Figure.held(model + " replay", events / runs.medians(model).wallSeconds(), "events/s", target,
                String.format(Locale.ROOT, "engine + %s + analyzers over %d decoded events %s, median of %d runs, each"
                        + " child after %s warm-ups (until one in which the JIT compiled under %d ms and the young"
                        + " generation did not grow, at least %d, at most %d)", model, events,
                        TimedChildren.where(inputs), runs.named(model).size(), runs.warmupsOf(model),
                        WarmupRule.QUIET_COMPILATION_MILLIS, warmups, warmups * TimedWork.MODEL_MOST_WARMUPS));
    }
}
