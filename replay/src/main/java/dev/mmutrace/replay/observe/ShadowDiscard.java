package dev.mmutrace.replay.observe;

/** Shadow entries thrown away: {@code entries} in all, of which {@code stillValid} still matched the guest's. */
public record ShadowDiscard(long event, int cpu, int entries, int stillValid) implements Observation {
    @Override
    public void accept(ObservationVisitor visitor) {
        visitor.visit(this);
    }
}
