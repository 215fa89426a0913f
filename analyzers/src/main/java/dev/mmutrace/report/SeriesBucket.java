package dev.mmutrace.report;

import com.google.common.collect.ImmutableSortedMap;
import java.util.Optional;

/**
 * What one model did over the events [{@code firstEvent}, {@code firstEvent} + interval);
 * {@code unknownState}, the figures that rested on unknown state (unknown-state walks and what a
 * gap made uncertain); {@code work}, the model's own counters, only for a model that declares some.
 */
public record SeriesBucket(long firstEvent, long flushes, long wastedFlushes, long missedFlushes, long exits,
        long hypercalls, long faults, long validationFailures, long shadowFills, long shadowDiscarded,
        long pgdirMisses, long unknownState, Optional<ImmutableSortedMap<String, Long>> work) {

    /** A bucket of a model without counters of its own. */
    public SeriesBucket(long firstEvent, long flushes, long wastedFlushes, long missedFlushes, long exits,
            long hypercalls, long faults, long validationFailures, long shadowFills, long shadowDiscarded,
            long pgdirMisses, long unknownState) {
        this(firstEvent, flushes, wastedFlushes, missedFlushes, exits, hypercalls, faults, validationFailures,
                shadowFills, shadowDiscarded, pgdirMisses, unknownState, Optional.empty());
    }
}
