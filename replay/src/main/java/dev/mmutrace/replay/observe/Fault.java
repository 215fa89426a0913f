package dev.mmutrace.replay.observe;

/**
 * A page fault as a model saw it. {@code GUEST}: taken by the guest's handler; {@code SPURIOUS}:
 * the trace claims a fault where the walk finds a valid, permitted translation; {@code HIDDEN}: a
 * shadow miss the host filled without the guest knowing; {@code REFLECTED}: a fault the host
 * passed on to the guest.
 */
public record Fault(long event, int cpu, Kind kind, long vaddr, int errorCode) implements Observation {
    @Override
    public void accept(ObservationVisitor visitor) {
        visitor.visit(this);
    }

    public enum Kind {
        GUEST, SPURIOUS, HIDDEN, REFLECTED
    }
}
