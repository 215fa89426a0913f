package dev.mmutrace.report;

/**
 * A model's figures that rest on what a gap left unknown (docs/mmu.md, "After a gap"): walks that
 * read an entry written before a gap, flushes classified on a TLB (or lguest's shadows) a gap left
 * unknown.
 */
public record GapUncertain(long entryBeforeGap, long tlbSinceGap) {

    public static final GapUncertain NONE = new GapUncertain(0, 0);

    public long total() {
        return entryBeforeGap + tlbSinceGap;
    }
}
