package dev.mmutrace.report;

/** What one model did over the events [{@code firstEvent}, {@code firstEvent} + interval). */
public record SeriesBucket(long firstEvent, long flushes, long wastedFlushes, long missedFlushes, long exits,
        long hypercalls, long faults, long validationFailures, long shadowFills, long shadowDiscarded,
        long pgdirMisses) {
}
