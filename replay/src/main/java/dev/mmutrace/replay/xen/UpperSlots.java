package dev.mmutrace.replay.xen;

import java.util.Arrays;

/**
 * Which slots of each upper-level table (written by set_pmd, set_pud, set_pgd) hold a present
 * entry, by table pfn: the pin and unpin walks visit those slots only instead of reading every
 * slot of every table. One bitmap per table frame, in an array indexed by pfn.
 */
final class UpperSlots {
    private final int words;
    private long[][] present = new long[0][];

    UpperSlots(int entriesPerTable) {
        this.words = (entriesPerTable + 63) >>> 6;
    }

    /** The store about to land makes slot {@code index} of table {@code pfn} present or not. */
    void note(long pfn, int index, boolean isPresent) {
        int p = Math.toIntExact(pfn);
        long[] bits = p < present.length ? present[p] : null;
        if (isPresent) {
            if (bits == null) {
                if (p >= present.length) {
                    present = Arrays.copyOf(present, Math.max(p + 1, Math.max(1024, present.length * 2)));
                }
                bits = new long[words];
                present[p] = bits;
            }
            bits[index >>> 6] |= 1L << index;
        } else if (bits != null) {
            bits[index >>> 6] &= ~(1L << index);
        }
    }

    /** The first present slot at or after {@code from} of table {@code pfn}, or -1. */
    int next(long pfn, int from) {
        long[] bits = pfn < present.length ? present[(int) pfn] : null;
        if (bits == null) {
            return -1;
        }
        int w = from >>> 6;
        if (w >= bits.length) {
            return -1;
        }
        long word = bits[w] & (-1L << from);
        while (word == 0) {
            if (++w == bits.length) {
                return -1;
            }
            word = bits[w];
        }
        return (w << 6) + Long.numberOfTrailingZeros(word);
    }
}
