package dev.mmutrace.replay.observe;

/** One batch of hypercalls sent as a single trap ({@code entries} calls in it). */
public record Multicall(long event, int cpu, int entries) implements Observation {
    @Override
    public void accept(ObservationVisitor visitor) {
        visitor.visit(this);
    }
}
