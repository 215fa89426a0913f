package dev.mmutrace.report;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;

/**
 * Every flush a model did or the guest asked for (SPEC §4, §9): needed when it removed a stale
 * translation, wasted otherwise; missed flushes are stale translations that outlived their use,
 * counted from the model's missed-flush observations and split by why, the first few kept in full
 * so a reader (and a regression diff) can go straight to their events.
 */
public record Flushes(long total, long needed, long wasted, long missed, long overBroad, long staleRemoved,
        ImmutableSortedMap<String, FlushCounts> byKind, ImmutableSortedMap<String, FlushCounts> byOrigin,
        ImmutableSortedMap<String, Long> missedBy, ImmutableList<MissedFlushRecord> missedFirst) {
}
