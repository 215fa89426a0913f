package dev.mmutrace.report;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import java.util.Optional;

/**
 * Everything the analyzers found for one model over one trace. {@code xen} is present for a model
 * that did Xen's direct-paging work (ptwr emulations, pins, validations, type changes),
 * {@code shadow} for one that kept shadow tables, {@code work} (the model's own counters) for one
 * that declares counters: each model says what it did, no section is tied to a model's name.
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
        Optional<ImmutableSortedMap<String, Long>> work,
        ImmutableSortedMap<String, Long> ignoredEvents,
        ImmutableList<RemarkEntry> remarks,
        ImmutableSortedMap<String, CostItem> cost,
        long estimatedCycles,
        Series series) {
}
