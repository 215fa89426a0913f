package dev.mmutrace.replay.observe;

/**
 * The host switched to the shadow top table for guest {@code cr3}: {@code hit} when it was in the
 * pgdir cache, a miss otherwise; {@code evictedBefore} when a miss was for a cr3 the cache had
 * held and evicted earlier (the eviction is then paid for twice).
 */
public record PgdirSwitch(long event, int cpu, long cr3, boolean hit, boolean evictedBefore) implements Observation {
    @Override
    public void accept(ObservationVisitor visitor) {
        visitor.visit(this);
    }
}
