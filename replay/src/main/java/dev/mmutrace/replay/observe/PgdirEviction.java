package dev.mmutrace.replay.observe;

/** A pgdir cache slot holding {@code evictedCr3} was taken for another address space. */
public record PgdirEviction(long event, int cpu, long evictedCr3) implements Observation {
    @Override
    public void accept(ObservationVisitor visitor) {
        visitor.visit(this);
    }
}
