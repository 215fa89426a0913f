package dev.mmutrace.report;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import java.util.Optional;

/**
 * Everything the analyzers found for one model over one trace. {@code xen} is present for the xen
 * model (or any model that did Xen work), {@code shadow} for lguest (or any model that kept shadow
 * tables).
 */
public record ModelReport(
        long eventsReplayed,
        long unknownStateWalks,
        ValidationFailures validationFailures,
        Flushes flushes,
        Faults faults,
        Exits exits,
        Hypercalls hypercalls,
        Optional<XenWork> xen,
        Optional<ShadowChurn> shadow,
        ImmutableSortedMap<String, Long> ignoredEvents,
        ImmutableList<RemarkEntry> remarks,
        ImmutableSortedMap<String, CostItem> cost,
        long estimatedCycles,
        Series series) {
}
