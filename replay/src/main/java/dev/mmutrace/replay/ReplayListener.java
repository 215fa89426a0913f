package dev.mmutrace.replay;

import dev.mmutrace.replay.observe.Observation;
import dev.mmutrace.replay.observe.ObservationSink;
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

    /**
     * Where model {@code model}'s observations go: by default {@link #onObservation} with the name.
     * The engine asks once per model before the replay starts, so a listener that routes by model
     * (an analyzer per model) can hand back that model's own sink instead of finding it again for
     * every observation, of which a replay makes several per event and model.
     */
    default ObservationSink sink(String model) {
        return observation -> onObservation(model, observation);
    }

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
