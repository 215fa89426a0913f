package dev.mmutrace.bench;

import dev.mmutrace.replay.ModelFactory;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import java.util.List;

/**
 * Each model alone, replaying the fork-exec-exit workload's events already decoded into memory:
 * the engine, the model and the analyzers on one core, the decode measured separately.
 */
final class ModelRates {
    static final double NATIVE_TARGET = 5_000_000;
    static final double XEN_TARGET = 5_000_000;
    static final double LGUEST_TARGET = 2_000_000;

    private ModelRates() {
    }

    static List<Figure> figures(BenchInputs inputs) {
        TraceHeader header = Replays.header(inputs.binary());
        List<TraceEvent> events = inputs.decoded();
        try {
            return List.of(rate("native", NATIVE_TARGET, header, events, inputs),
                    rate("xen", XEN_TARGET, header, events, inputs),
                    rate("lguest", LGUEST_TARGET, header, events, inputs));
        } finally {
            inputs.forgetDecoded();
        }
    }

    private static Figure rate(String model, double target, TraceHeader header, List<TraceEvent> events,
            BenchInputs inputs) {
        List<ModelFactory> only = List.of(Replays.model(model));
        double seconds = inputs.settings().timing().medianSeconds(() -> Replays.inMemory(header, events, only));
        return Figure.held(model + " replay", events.size() / seconds, "events/s", target,
                "engine + " + model + " + analyzers over " + events.size() + " decoded events");
    }
}
