package dev.mmutrace.replay.xen;

/**
 * Xen's own view of the domain's page-table frames: machine (mfn-based) entries, indexed by the
 * frame's pfn. It differs from the shared guest memory exactly where Xen refused an update: the
 * guest believes its store happened, the hardware tables do not hold it.
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
            frames = java.util.Arrays.copyOf(frames, Math.max(pfn + 1, Math.max(1024, frames.length * 2)));
        }
        long[] f = frames[pfn];
        if (f == null) {
            if (value == 0) {
                return;
            }
            f = new long[entries];
            frames[pfn] = f;
        }
        long old = f[index];
        if (old != value) {
            watch.changing(pfn, index, old, value);
            f[index] = value;
        }
    }
}
