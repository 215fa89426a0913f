package dev.mmutrace.analyze;

import dev.mmutrace.replay.AccessRequest;
import dev.mmutrace.replay.ReplayListener;
import dev.mmutrace.replay.observe.Observation;
import dev.mmutrace.replay.observe.ObservationSink;
import dev.mmutrace.replay.observe.Remark;
import dev.mmutrace.replay.observe.ValidationFailure;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.window.WindowStart;
import java.util.Optional;

/**
 * What a warmed-up replay lets through to a listener: only what belongs to the window. The models
 * replay the events before it to build their state, and everything they observe there (each
 * observation names its event; a retry's, the fault's) and those events themselves stay out of
 * every figure and of the events log. Observations of a fault before the window whose retry
 * happens inside it stay out too: they belong to that fault. The one thing from before the
 * window that does come through is a model stopping there, as a remark.
 */
final class WindowGate implements ReplayListener {
    /** The remark of a model stopped by a fatal failure before the window. */
    static final String STOPPED_BEFORE = "window.stopped_before";

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
        passed(observation).ifPresent(o -> inner.onObservation(model, o));
    }

    @Override
    public ObservationSink sink(String model) {
        ObservationSink s = inner.sink(model);
        return observation -> passed(observation).ifPresent(s::observe);
    }

    /**
     * What goes through of {@code o}: itself inside the window; before it nothing, except that a
     * model stopped there (lguest killing the guest) becomes a remark under
     * {@link #STOPPED_BEFORE}, since the model then replays none of the window.
     */
    private Optional<Observation> passed(Observation o) {
        if (!start.before(o.event())) {
            return Optional.of(o);
        }
        if (o instanceof ValidationFailure f && f.fatal()) {
            return Optional.of(new Remark(f.event(), f.cpu(), STOPPED_BEFORE, "the model stopped at event "
                    + f.event() + ", before the window (" + f.reason() + ": " + f.message()
                    + "), and replayed none of the window's events"));
        }
        return Optional.empty();
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
