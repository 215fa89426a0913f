package dev.mmutrace.replay;

import dev.mmutrace.replay.observe.Observation;
import dev.mmutrace.trace.TraceEvent;

/**
 * Follows a replay: each event as it starts, every model's observations, each event's end. An
 * implied retry (SPEC §2.1) is bracketed by {@link #onRetryStart} and {@link #onRetryEnd} and
 * happens between events, never inside one; its observations carry the page fault's index.
 */
public interface ReplayListener {

    default void onEventStart(long index, TraceEvent event) {
    }

    void onObservation(String model, Observation observation);

    default void onEventEnd(long index) {
    }

    /** The retry of the access that faulted at event {@code faultIndex} begins. */
    default void onRetryStart(long faultIndex, AccessRequest access) {
    }

    /** The retry of the access that faulted at event {@code faultIndex} is over. */
    default void onRetryEnd(long faultIndex) {
    }

    default void onEnd(long events) {
    }
}
