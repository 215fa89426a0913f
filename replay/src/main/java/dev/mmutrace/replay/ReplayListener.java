package dev.mmutrace.replay;

import dev.mmutrace.replay.observe.Observation;
import dev.mmutrace.trace.TraceEvent;

/** Follows a replay: each event as it starts, every model's observations, each event's end. */
public interface ReplayListener {

    default void onEventStart(long index, TraceEvent event) {
    }

    void onObservation(String model, Observation observation);

    default void onEventEnd(long index) {
    }

    default void onEnd(long events) {
    }
}
