package dev.mmutrace.replay.mmu;

/** How {@link TlbSet#translate} resolved one access. */
public enum Translation {
    /** A TLB entry that is still true allowed the access. */
    HIT,
    /**
     * A stale TLB entry (its page-table entry was downgraded and no flush removed it) allowed the
     * access: the first use of that stale translation, a missed flush (SPEC §4).
     */
    STALE_HIT,
    /** A stale entry already reported as missed was used again (not counted twice). */
    STALE_REUSED,
    /** No usable TLB entry; the walk succeeded, set A/D and filled the TLB. */
    FILLED,
    /** The walk faulted; the {@link Walk} holds the error code. */
    FAULT,
    /** The walk read a slot the trace never wrote; treated as not present (a lower bound). */
    UNKNOWN;

    /** Whether the access was walked (so the {@link Walk} handed to translate describes it). */
    public boolean walked() {
        return this == FILLED || this == FAULT || this == UNKNOWN;
    }

    /** Whether the access went through (from the TLB or after a walk). */
    public boolean succeeded() {
        return this == HIT || this == STALE_HIT || this == STALE_REUSED || this == FILLED;
    }
}
