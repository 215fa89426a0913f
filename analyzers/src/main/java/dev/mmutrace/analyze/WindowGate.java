package dev.mmutrace.analyze;

import dev.mmutrace.replay.AccessRequest;
import dev.mmutrace.replay.ReplayListener;
import dev.mmutrace.replay.observe.Observation;
import dev.mmutrace.replay.observe.ObservationSink;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.window.WindowStart;

/**
 * What a warmed-up replay lets through to a listener: only what belongs to the window. The models
 * replay the events before it to build their state, and everything they observe there (each
 * observation names its event; a retry's, the fault's) and those events themselves stay out of
 * every figure and of the events log. Observations of a fault before the window whose retry
 * happens inside it stay out too: they belong to that fault.
 */
final class WindowGate implements ReplayListener {
    private final ReplayListener inner;
    private final WindowStart start;

    WindowGate(ReplayListener inner, WindowStart start) {
        this.inner = inner;
        this.start = start;
    }

    @Override
    public void onEventStart(long index, TraceEvent event) {
        if (!start.before(index)) {
            inner.onEventStart(index, event);
        }
    }

    @Override
    public void onObservation(String model, Observation observation) {
        if (!start.before(observation.event())) {
            inner.onObservation(model, observation);
        }
    }

    @Override
    public ObservationSink sink(String model) {
        ObservationSink s = inner.sink(model);
        return observation -> {
            if (!start.before(observation.event())) {
                s.observe(observation);
            }
        };
    }

    @Override
    public void onEventEnd(long index) {
        if (!start.before(index)) {
            inner.onEventEnd(index);
        }
    }

    @Override
    public void onRetryStart(long faultIndex, AccessRequest access) {
        if (!start.before(faultIndex)) {
            inner.onRetryStart(faultIndex, access);
        }
    }

    @Override
    public void onRetryEnd(long faultIndex) {
        if (!start.before(faultIndex)) {
            inner.onRetryEnd(faultIndex);
        }
    }

    @Override
    public void onEnd(long events) {
        inner.onEnd(events);
    }
}
