package dev.mmutrace.replay.mmu;

/**
 * What one flush did to a {@link TlbSet} (SPEC §4): {@code removed} translations in all, of which
 * {@code staleRemoved} were stale. The flush was needed when it removed at least one stale
 * translation, wasted otherwise; {@code overBroad} marks a full flush that was needed but whose
 * stale translations all contain one vaddr, so a single {@code one} flush (INVLPG of that vaddr on
 * the same vCPUs) would have done.
 */
public record FlushOutcome(int removed, int staleRemoved, boolean overBroad) {

    public static final FlushOutcome NOTHING = new FlushOutcome(0, 0, false);

    public boolean needed() {
        return staleRemoved > 0;
    }

    public boolean wasted() {
        return staleRemoved == 0;
    }
}
