package dev.mmutrace.replay.observe;

/**
 * Work only this model does, {@code count} more of the counter {@code counter} the model declared
 * ({@link dev.mmutrace.replay.ModelFactory#counters()}): how a model reports what is its own
 * without a new kind of observation, analyzer, report record or cost entry. Every report format
 * shows the counters of the models that declare them.
 */
public record Work(long event, int cpu, String counter, long count) implements Observation {
    @Override
    public void accept(ObservationVisitor visitor) {
        visitor.visit(this);
    }
}
