package dev.mmutrace.replay;

import dev.mmutrace.replay.mmu.FlushOutcome;
import dev.mmutrace.replay.mmu.Walk;
import dev.mmutrace.replay.observe.GapUncertainty;
import dev.mmutrace.replay.observe.ObservationSink;

/**
 * The two ways a figure of a TLB-keeping model comes to rest on what a gap left unknown, said
 * once for every model (docs/mmu.md, "After a gap"): a walk that read an entry written before the
 * gap, and a flush of a TLB the gap left unknown.
 */
public final class GapFigures {
    private GapFigures() {
    }

    /** After a walk by {@code cpu} for event {@code index}: says so when it read an entry from before a gap. */
    public static void walked(Walk walk, long index, int cpu, ObservationSink sink) {
        if (walk.readBeforeGap()) {
            sink.observe(new GapUncertainty(index, cpu, GapUncertainty.Kind.ENTRY_BEFORE_GAP));
        }
    }

    /** After a flush for event {@code index}: says so when it reached a TLB a gap left unknown. */
    public static void flushed(FlushOutcome outcome, long index, int cpu, ObservationSink sink) {
        if (outcome.tlbSinceGap()) {
            sink.observe(new GapUncertainty(index, cpu, GapUncertainty.Kind.TLB_SINCE_GAP));
        }
    }
}
