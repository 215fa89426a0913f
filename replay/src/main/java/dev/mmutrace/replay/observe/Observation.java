package dev.mmutrace.replay.observe;

/**
 * Something a model did or found, tied to the trace event that caused it. Models emit these and
 * never format reports; analyzers consume them and never look inside a model (SPEC §5).
 *
 * <p>{@link #event()} is the index of the causing event in the trace (0-based, counting events,
 * not the header). For an implied retry it is the index of the page fault being retried.
 */
public sealed interface Observation
        permits Hypercall, Multicall, Exit, Fault, Flush, MissedFlush, ValidationFailure, UnknownStateWalk, GapUncertainty,
                PtwrEmulation, PinChange, FullValidation, TypeChange, PgdirSwitch, PgdirEviction, ShadowPage,
                ShadowFill, ShadowDiscard, ShadowClearAll, StackRepin, IgnoredEvent, Remark, Work {

    long event();

    int cpu();

    /** Calls {@code visitor}'s method for this kind of observation. */
    void accept(ObservationVisitor visitor);
}
