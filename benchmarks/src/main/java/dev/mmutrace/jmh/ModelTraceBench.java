package dev.mmutrace.jmh;

import dev.mmutrace.replay.ModelFactory;
import dev.mmutrace.replay.ModelOptions;
import dev.mmutrace.replay.Models;
import dev.mmutrace.replay.ReplayEngine;
import dev.mmutrace.replay.ReplayListener;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * What the model benchmarks share: a small trace held in memory, a {@link Tree} of {@code tables}
 * L1 tables followed by what the benchmark does with it, replayed whole through one model per
 * operation. Every operation starts a fresh engine, so each replay starts from empty state; the
 * count of observations is returned so the work cannot be optimised away. One JMH setting for
 * all of them (µs per operation, the same warm-up and measurement), so their figures in
 * docs/performance.md are taken alike.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public abstract class ModelTraceBench extends JmhDefaults {
    @Param({"8"})
    public int tables;

    private final String modelName;
    private final TraceHeader header;
    private List<TraceEvent> events;
    private ModelFactory model;

    /** A benchmark of model {@code modelName} over a trace with {@code header}. */
    protected ModelTraceBench(String modelName, TraceHeader header) {
        this.modelName = modelName;
        this.header = header;
    }

    /** Appends what the guest does once {@code tree}'s events have built its tables. */
    protected abstract void afterBuilding(Tree tree, List<TraceEvent> events);

    @Setup
    public void setUp() {
        Tree tree = new Tree(tables);
        events = new ArrayList<>(tree.build());
        afterBuilding(tree, events);
        model = Models.named(modelName).orElseThrow(() -> new IllegalStateException("no model " + modelName));
    }

    /** The whole trace through a fresh engine and the model: the observations it made. */
    protected final long replay() {
        long[] observed = {0};
        ReplayListener count = (m, o) -> observed[0]++;
        new ReplayEngine(header, List.of(model), ModelOptions.DEFAULTS, count).run(events.iterator());
        return observed[0];
    }
}
