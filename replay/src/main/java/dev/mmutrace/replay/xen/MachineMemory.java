package dev.mmutrace.replay.xen;

import dev.mmutrace.trace.EntryBits;
import java.util.Arrays;

/**
 * Xen's own view of the domain's page-table frames: machine (mfn-based) entries, indexed by the
 * frame's pfn. It differs from the shared guest memory exactly where Xen refused an update: the
 * guest believes its store happened, the hardware tables do not hold it.
 *
 * <p>Each frame also keeps a bitmap of its present slots, so that validating or devalidating a
 * table visits its present entries only (a mostly empty 512-entry table costs 8 word reads).
 */
final class MachineMemory {
    /** Told of every entry Xen's view changes, before the change lands: the hardware TLBs' staleness. */
    @FunctionalInterface
    interface Watch {
        void changing(int pfn, int index, long oldEntry, long newEntry);
    }

    private final int entries;
    private final Watch watch;
    private long[][] frames = new long[0][];
    private long[][] present = new long[0][];

    MachineMemory(int entriesPerFrame, Watch watch) {
        this.entries = entriesPerFrame;
        this.watch = watch;
    }

    long read(int pfn, int index) {
        long[] f = pfn < frames.length ? frames[pfn] : null;
        return f == null ? 0 : f[index];
    }

    void write(int pfn, int index, long value) {
        if (pfn >= frames.length) {
            int size = Math.max(pfn + 1, Math.max(1024, frames.length * 2));
            frames = Arrays.copyOf(frames, size);
            present = Arrays.copyOf(present, size);
        }
        long[] f = frames[pfn];
        if (f == null) {
            if (value == 0) {
                return;
            }
            f = new long[entries];
            frames[pfn] = f;
            present[pfn] = new long[(entries + 63) >>> 6];
        }
        long old = f[index];
        if (old != value) {
            watch.changing(pfn, index, old, value);
            f[index] = value;
            if (EntryBits.present(value)) {
                present[pfn][index >>> 6] |= 1L << index;
            } else {
                present[pfn][index >>> 6] &= ~(1L << index);
            }
        }
    }

    /** The first slot at or after {@code from} of frame {@code pfn} holding a present entry, or -1. */
    int nextPresent(int pfn, int from) {
        long[] bits = pfn < present.length ? present[pfn] : null;
        if (bits == null || from >= entries) {
            return -1;
        }
        int w = from >>> 6;
        long word = bits[w] & (-1L << from);
        while (true) {
            if (word != 0) {
                return (w << 6) + Long.numberOfTrailingZeros(word);
            }
            if (++w == bits.length) {
                return -1;
            }
            word = bits[w];
        }
    }
}
