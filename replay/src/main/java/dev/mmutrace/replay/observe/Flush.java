package dev.mmutrace.replay.observe;

/**
 * A TLB (or shadow) flush, classified by SPEC §4: {@code needed} when it removed at least one
 * stale translation ({@code staleRemoved} counts them), wasted otherwise; {@code overBroad} when
 * it was a full flush whose stale set fitted a single-page flush.
 *
 * <p>{@code kind} names what flushed: a guest request ({@code user}, {@code all}, {@code one},
 * {@code multi}) or what the model generated ({@code uvmf_tlb_flush}, {@code uvmf_invlpg},
 * {@code new_baseptr}, {@code type_change_ipi}, {@code shadow_flush_user}, {@code shadow_clear_all}, ...).
 * {@code targets} is how many vCPUs it reached.
 */
public record Flush(long event, int cpu, String kind, Origin origin, boolean needed, int staleRemoved,
        boolean overBroad, int targets) implements Observation {
    @Override
    public void accept(ObservationVisitor visitor) {
        visitor.visit(this);
    }

    public enum Origin {
        GUEST_REQUESTED, MODEL_GENERATED
    }
}
