package dev.mmutrace.replay.observe;

/** A machine frame's type changed (e.g. {@code writable} to {@code l1}, {@code l2} to {@code none}). */
public record TypeChange(long event, int cpu, long mfn, String from, String to) implements Observation {
    @Override
    public void accept(ObservationVisitor visitor) {
        visitor.visit(this);
    }
}
