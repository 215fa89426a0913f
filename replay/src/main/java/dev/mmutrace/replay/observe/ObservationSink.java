package dev.mmutrace.replay.observe;

/** Where one model's observations go, in the order the model made them. */
@FunctionalInterface
public interface ObservationSink {
    void observe(Observation observation);
}
