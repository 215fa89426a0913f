package dev.mmutrace.jmh;

import dev.mmutrace.replay.ModelFactory;
import dev.mmutrace.replay.ModelOptions;
import dev.mmutrace.replay.Models;
import dev.mmutrace.replay.ReplayEngine;
import dev.mmutrace.replay.ReplayListener;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import java.util.List;

/** Replays a small trace held in memory through one model, counting its observations. */
final class ModelTraces {
    private ModelTraces() {
    }

    static ModelFactory model(String name) {
        return Models.named(name).orElseThrow(() -> new IllegalStateException("no model " + name));
    }

    /** Observations made; a fresh engine each time, so every replay starts from empty state. */
    static long replay(TraceHeader header, List<TraceEvent> events, ModelFactory model) {
        long[] observed = {0};
        ReplayListener count = (m, o) -> observed[0]++;
        new ReplayEngine(header, List.of(model), ModelOptions.DEFAULTS, count).run(events.iterator());
        return observed[0];
    }
}
