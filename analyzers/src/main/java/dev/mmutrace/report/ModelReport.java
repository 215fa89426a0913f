package dev.mmutrace.report;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import java.util.Optional;

/**
 * Everything the analyzers found for one model over one trace. {@code xen} is present for a model
 * that did Xen's direct-paging work (ptwr emulations, pins, validations, type changes),
 * {@code shadow} for one that kept shadow tables, {@code work} (the model's own counters) for one
 * that declares counters: each model says what it did, no section is tied to a model's name.
 * {@code figuresOnUnknownState} is the unknown-state walks plus the figures a gap made uncertain
 * ({@code gapUncertain}).
 */
public record ModelReport(
        long eventsReplayed,
        long unknownStateWalks,
        GapUncertain gapUncertain,
        long figuresOnUnknownState,
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

    public ModelReport {
        if (gapUncertain == null) {
            // a report written before gaps existed: its only figures on unknown state were walks
            gapUncertain = GapUncertain.NONE;
            figuresOnUnknownState = unknownStateWalks;
        }
    }

    /** Every figure that rested on unknown state, as {@link #figuresOnUnknownState} holds it. */
    public static long onUnknownState(long unknownStateWalks, GapUncertain gapUncertain) {
        return unknownStateWalks + gapUncertain.total();
    }
}
