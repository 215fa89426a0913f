package dev.mmutrace.testmodel;

import dev.mmutrace.replay.MemoryModel;
import dev.mmutrace.replay.ModelFactory;
import dev.mmutrace.replay.ModelOptions;
import dev.mmutrace.replay.ReplayContext;
import dev.mmutrace.replay.WorkCounter;
import dev.mmutrace.replay.observe.ObservationSink;
import java.util.List;

/**
 * A model that exists only to prove the claim of issue 19: a new model reports its own work
 * through {@link WorkCounter}s and remarks, and every report format shows it, with nothing
 * changed outside this package. Registered only in the services file under
 * {@code dev/mmutrace/testmodel/services}, which {@link OwnWorkTest} puts on the class path of
 * its own runs, so no other test sees a fourth model.
 */
public final class Cr3CountFactory implements ModelFactory {
    static final String NAME = "cr3count";
    /** A key of the model's own, priced by the model. */
    static final WorkCounter CR3_LOADS = new WorkCounter("cr3_loads", "cr3_load", 300);
    /** Charged as a hypercall: a key the cost table already has keeps the table's price. */
    static final WorkCounter PINS = new WorkCounter("pinned_tables", "hypercall", 1);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<WorkCounter> counters() {
        return List.of(CR3_LOADS, PINS);
    }

    @Override
    public MemoryModel create(ReplayContext context, ObservationSink sink, ModelOptions options) {
        return new Cr3CountModel(sink);
    }
}
