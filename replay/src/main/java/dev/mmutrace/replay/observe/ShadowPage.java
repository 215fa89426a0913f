package dev.mmutrace.replay.observe;

/** A shadow page-table page below the top was allocated ({@code allocated}) or freed. */
public record ShadowPage(long event, int cpu, int level, boolean allocated) implements Observation {
    @Override
    public void accept(ObservationVisitor visitor) {
        visitor.visit(this);
    }
}
