package dev.mmutrace.replay.observe;

/**
 * A stale translation that outlived the point where the guest relied on it: used by an access,
 * or still alive when its frame was re-typed or freed (SPEC §4).
 */
public record MissedFlush(long event, int cpu, long vaddr, Why why) implements Observation {
    @Override
    public void accept(ObservationVisitor visitor) {
        visitor.visit(this);
    }

    public enum Why {
        USED_STALE, FRAME_RETYPED, FRAME_FREED
    }
}
