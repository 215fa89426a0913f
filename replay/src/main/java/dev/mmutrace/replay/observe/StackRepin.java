package dev.mmutrace.replay.observe;

/** The host re-mapped the guest's kernel stack pages into a blank shadow (lguest's pin_stack_pages). */
public record StackRepin(long event, int cpu, int pages) implements Observation {
    @Override
    public void accept(ObservationVisitor visitor) {
        visitor.visit(this);
    }
}
