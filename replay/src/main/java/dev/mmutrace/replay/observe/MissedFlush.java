package dev.mmutrace.replay.observe;

/**
 * A stale translation that outlived the point where the guest relied on it: used by an access,
 * or still alive when its frame was re-typed or freed (SPEC §4); or a pae PDPTE register used
 * after the PDPT changed in memory without a cr3 load.
 */
public record MissedFlush(long event, int cpu, long vaddr, Why why) implements Observation {
    @Override
    public void accept(ObservationVisitor visitor) {
        visitor.visit(this);
    }

    public enum Why {
        USED_STALE, FRAME_RETYPED, FRAME_FREED,
        /** A pae walk used a PDPTE register that no longer matches memory: a missed cr3 reload. */
        STALE_PDPTE
    }
}
