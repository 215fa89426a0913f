package dev.mmutrace.testmodel;

import dev.mmutrace.replay.AccessRequest;
import dev.mmutrace.replay.MemoryModel;
import dev.mmutrace.replay.observe.ObservationSink;
import dev.mmutrace.replay.observe.Remark;
import dev.mmutrace.replay.observe.Work;
import dev.mmutrace.trace.Pin;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.WriteCr3;

/** Counts cr3 loads and pins as its own work, and remarks at the end that it models nothing else. */
final class Cr3CountModel implements MemoryModel {
    private final ObservationSink sink;

    Cr3CountModel(ObservationSink sink) {
        this.sink = sink;
    }

    @Override
    public String name() {
        return Cr3CountFactory.NAME;
    }

    @Override
    public void onEvent(long index, TraceEvent event) {
        if (event instanceof WriteCr3 w) {
            sink.observe(new Work(index, w.cpu(), Cr3CountFactory.CR3_LOADS.name(), 1));
        } else if (event instanceof Pin p) {
            sink.observe(new Work(index, p.cpu(), Cr3CountFactory.PINS.name(), 1));
        }
    }

    @Override
    public void onAccess(long index, AccessRequest access) {
    }

    @Override
    public void onEnd(long events) {
        sink.observe(new Remark(events, 0, "cr3count.counts_only", "this model counts cr3 loads and pins, nothing else"));
    }
}
