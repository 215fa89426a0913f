package dev.mmutrace.report;

import java.io.Serializable;

/**
 * One model's key figures added up over every trace of a batch. Serializable so that a corpus
 * job can add them up where the traces were replayed.
 */
public record SummaryTotals(long traces, long eventsReplayed, long validationFailures, long flushes,
        long wastedFlushes, long missedFlushes, long exits, long hypercalls, long estimatedCycles)
        implements Serializable {

    public static final SummaryTotals ZERO = new SummaryTotals(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** One trace's figures for one model. */
    public static SummaryTotals of(ModelReport m) {
        return ZERO.plus(m);
    }

    /** These totals and {@code other}'s, added up. */
    public SummaryTotals plus(SummaryTotals other) {
        return new SummaryTotals(traces + other.traces, eventsReplayed + other.eventsReplayed,
                validationFailures + other.validationFailures, flushes + other.flushes,
                wastedFlushes + other.wastedFlushes, missedFlushes + other.missedFlushes, exits + other.exits,
                hypercalls + other.hypercalls, estimatedCycles + other.estimatedCycles);
    }

    SummaryTotals plus(ModelReport m) {
        return new SummaryTotals(traces + 1, eventsReplayed + m.eventsReplayed(),
                validationFailures + m.validationFailures().total(), flushes + m.flushes().total(),
                wastedFlushes + m.flushes().wasted(), missedFlushes + m.flushes().missed(),
                exits + m.exits().total(), hypercalls + m.hypercalls().total(),
                estimatedCycles + m.estimatedCycles());
    }
}
