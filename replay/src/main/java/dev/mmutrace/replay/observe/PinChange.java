package dev.mmutrace.replay.observe;

/** A page-table page pinned ({@code pinned} true) or unpinned at {@code level}. */
public record PinChange(long event, int cpu, long mfn, int level, boolean pinned) implements Observation {
    @Override
    public void accept(ObservationVisitor visitor) {
        visitor.visit(this);
    }
}
