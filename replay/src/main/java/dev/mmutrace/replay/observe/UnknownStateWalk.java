package dev.mmutrace.replay.observe;

/**
 * A walk reached an entry slot the trace never wrote: its content is unknown, not "not present",
 * so figures that depend on it are lower bounds (SPEC §2.2).
 */
public record UnknownStateWalk(long event, int cpu, long vaddr, long entryGpa) implements Observation {
    @Override
    public void accept(ObservationVisitor visitor) {
        visitor.visit(this);
    }
}
