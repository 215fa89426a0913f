package dev.mmutrace.replay.observe;

/** A direct guest store into a validated L1 page, trapped and emulated by Xen (ptwr). */
public record PtwrEmulation(long event, int cpu, long mfn) implements Observation {
    @Override
    public void accept(ObservationVisitor visitor) {
        visitor.visit(this);
    }
}
