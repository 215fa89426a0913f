package dev.mmutrace.replay.observe;

/** An event that means nothing to this model (e.g. pin under lguest), counted so nothing vanishes. */
public record IgnoredEvent(long event, int cpu, String what) implements Observation {
    @Override
    public void accept(ObservationVisitor visitor) {
        visitor.visit(this);
    }
}
