package dev.mmutrace.replay.xen;

/**
 * Xen's TLB-flush clock (flushtlb.h): a global counter that ticks on every full flush, each
 * CPU's time of its last full flush, and the domain's dirty CPU set. A page whose type count
 * falls to 0 is stamped with the clock; when the page later changes type, only the dirty CPUs
 * that have not fully flushed since the stamp can still hold a stale mapping of it, and Xen
 * IPIs exactly those ({@code tlbflush_filter}).
 *
 * <p>Each vCPU is taken to run on its own physical CPU and never migrate, so vCPU and pCPU
 * masks are the same bits. A vCPU joins the dirty set when it first issues an event. The clock
 * starts at 1, is a long and never wraps (Xen's forced flush at wrap is not modelled).
 */
final class TlbClock {
    private long clock = 1;
    private final long[] flushedAt;
    private long dirty;

    TlbClock(int vcpus) {
        flushedAt = new long[vcpus];
        // Every CPU is taken to have fully flushed once since the domain's frames were last
        // used (domain build), so a frame never stamped (stamp 0) needs no filter flush.
        java.util.Arrays.fill(flushedAt, 1);
    }

    long now() {
        return clock;
    }

    void running(int cpu) {
        dirty |= 1L << cpu;
    }

    long dirty() {
        return dirty;
    }

    /** A full flush on every CPU of {@code mask}: the clock ticks once for the flush. */
    void fullFlush(long mask) {
        clock++;
        for (long m = mask; m != 0; m &= m - 1) {
            flushedAt[Long.numberOfTrailingZeros(m)] = clock;
        }
    }

    /** The dirty CPUs that may still cache a mapping of a page stamped {@code stamp} (NEED_FLUSH). */
    long needFlush(long stamp) {
        long mask = 0;
        for (long m = dirty; m != 0; m &= m - 1) {
            int c = Long.numberOfTrailingZeros(m);
            if (flushedAt[c] <= stamp) {
                mask |= 1L << c;
            }
        }
        return mask;
    }
}
