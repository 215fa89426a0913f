package dev.mmutrace.report;

/** One model's key figures added up over every trace of a batch. */
public record SummaryTotals(long traces, long eventsReplayed, long validationFailures, long flushes,
        long wastedFlushes, long missedFlushes, long exits, long hypercalls, long estimatedCycles) {

    static final SummaryTotals ZERO = new SummaryTotals(0, 0, 0, 0, 0, 0, 0, 0, 0);

    SummaryTotals plus(ModelReport m) {
        return new SummaryTotals(traces + 1, eventsReplayed + m.eventsReplayed(),
                validationFailures + m.validationFailures().total(), flushes + m.flushes().total(),
                wastedFlushes + m.flushes().wasted(), missedFlushes + m.flushes().missed(),
                exits + m.exits().total(), hypercalls + m.hypercalls().total(),
                estimatedCycles + m.estimatedCycles());
    }
}
