package dev.mmutrace.replay.observe;

/**
 * A fact about the whole replay a reader must know to trust the figures (e.g. {@code generalized}:
 * lguest's 2-level design stretched to a pae or 4level trace). Reports list each key once, at its
 * first remark, with the number of remarks made under it.
 */
public record Remark(long event, int cpu, String key, String text) implements Observation {
    @Override
    public void accept(ObservationVisitor visitor) {
        visitor.visit(this);
    }
}
