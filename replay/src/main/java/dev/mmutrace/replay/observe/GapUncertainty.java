package dev.mmutrace.replay.observe;

/**
 * A figure this model counted at event {@code event} rests on state that a gap (events the tracer
 * lost, SPEC §2.2) left unknown. The figure is counted as usual; this says it could be otherwise.
 * docs/mmu.md, "After a gap", says exactly when each kind is reported.
 */
public record GapUncertainty(long event, int cpu, Kind kind) implements Observation {

    /** What about the figure is unknown. */
    public enum Kind {
        /** A walk read an entry last written before a gap: a store among the lost events may have changed it. */
        ENTRY_BEFORE_GAP("entry_before_gap"),
        /**
         * A flush was classified on a vCPU whose TLB held what a gap left unknown (it may have
         * held stale translations the replay cannot see, or lost flushes may have removed them).
         */
        TLB_SINCE_GAP("tlb_since_gap");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    @Override
    public void accept(ObservationVisitor visitor) {
        visitor.visit(this);
    }
}
