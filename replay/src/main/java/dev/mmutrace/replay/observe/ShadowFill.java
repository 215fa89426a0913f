package dev.mmutrace.replay.observe;

/**
 * A shadow entry for {@code vaddr} was filled from the guest's tables; {@code refill} when it is
 * identical to an entry the host had discarded before (work thrown away and redone).
 */
public record ShadowFill(long event, int cpu, long vaddr, boolean refill) implements Observation {
    @Override
    public void accept(ObservationVisitor visitor) {
        visitor.visit(this);
    }
}
