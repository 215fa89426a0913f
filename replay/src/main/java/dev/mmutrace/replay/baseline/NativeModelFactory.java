package dev.mmutrace.replay.baseline;

import dev.mmutrace.replay.MemoryModel;
import dev.mmutrace.replay.ModelFactory;
import dev.mmutrace.replay.ModelOptions;
import dev.mmutrace.replay.ReplayContext;
import dev.mmutrace.replay.observe.ObservationSink;

/** Makes the {@code native} model; it has no settings and makes no random choice. */
public final class NativeModelFactory implements ModelFactory {
    @Override
    public String name() {
        return NativeModel.NAME;
    }

    /** The bare-metal baseline, read first. */
    @Override
    public int reportRank() {
        return 0;
    }

    /** 35-38 ns per event with its analyzer over the bench's trace (docs/performance.md). */
    @Override
    public double costPerEvent() {
        return 36;
    }

    @Override
    public String description() {
        return "bare metal: stores, cr3 loads and flushes as the hardware does them; the baseline (docs/models/native.md)";
    }

    @Override
    public MemoryModel create(ReplayContext context, ObservationSink sink, ModelOptions options) {
        return new NativeModel(context, sink);
    }
}
