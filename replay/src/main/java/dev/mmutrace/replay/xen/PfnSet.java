package dev.mmutrace.replay.xen;

import java.util.BitSet;

/**
 * A set of guest pfns, one bit per frame: the guest's PG_pinned marks. Pin and unpin walks set
 * and clear a bit per page-table page many times per event; a hash set's removals (shifting the
 * probe chain back) showed in the profile, a bit costs one word.
 */
final class PfnSet {
    private final BitSet bits = new BitSet();

    boolean contains(long pfn) {
        return bits.get(index(pfn));
    }

    /** Adds {@code pfn}; whether it was absent. */
    boolean add(long pfn) {
        int i = index(pfn);
        if (bits.get(i)) {
            return false;
        }
        bits.set(i);
        return true;
    }

    /** Removes {@code pfn}; whether it was present. */
    boolean remove(long pfn) {
        int i = index(pfn);
        if (!bits.get(i)) {
            return false;
        }
        bits.clear(i);
        return true;
    }

    /** Trace pfns lie below pfn_limit; the frame table indexes them by int just the same. */
    private static int index(long pfn) {
        return Math.toIntExact(pfn);
    }
}
