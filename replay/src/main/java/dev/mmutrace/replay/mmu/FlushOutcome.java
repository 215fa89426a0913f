package dev.mmutrace.replay.mmu;

/**
 * What one flush did to a {@link TlbSet} (SPEC §4): {@code removed} translations in all, of which
 * {@code staleRemoved} were stale. The flush was needed when it removed at least one stale
 * translation, wasted otherwise; {@code overBroad} marks a full flush that was needed but whose
 * stale translations all contain one vaddr, so a single {@code one} flush (INVLPG of that vaddr on
 * the same vCPUs) would have done. {@code tlbSinceGap}: one of the TLBs it reached held what a gap
 * left unknown (TlbSet#forget), so the classification is not certain.
 */
public record FlushOutcome(int removed, int staleRemoved, boolean overBroad, boolean tlbSinceGap) {

    public static final FlushOutcome NOTHING = new FlushOutcome(0, 0, false, false);

    private static final FlushOutcome NOTHING_SINCE_GAP = new FlushOutcome(0, 0, false, true);

    /** A flush that removed nothing, from TLBs that were all known or not. */
    static FlushOutcome nothing(boolean tlbSinceGap) {
        return tlbSinceGap ? NOTHING_SINCE_GAP : NOTHING;
    }

    public boolean needed() {
        return staleRemoved > 0;
    }

    public boolean wasted() {
        return staleRemoved == 0;
    }
}
