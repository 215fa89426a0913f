package dev.mmutrace.replay.observe;

/** Every shadow table was thrown away (lguest's guest_pagetable_clear_all). */
public record ShadowClearAll(long event, int cpu) implements Observation {
    @Override
    public void accept(ObservationVisitor visitor) {
        visitor.visit(this);
    }
}
