package dev.mmutrace.replay.xen;

import dev.mmutrace.replay.observe.Flush;
import dev.mmutrace.replay.observe.ObservationSink;

/**
 * Every TLB flush Xen performs for the domain passes through here, whoever asked for it: the
 * guest (TLB_FLUSH_LOCAL, INVLPG_LOCAL, the MULTI ops) or Xen itself (UVMF flags, NEW_BASEPTR,
 * the type-change IPIs the TLB clock forces). A full flush ticks the TLB clock; a single-page
 * flush does not (flushtlb.c).
 */
final class Flushes {
    private final TlbClock clock;
    private final ObservationSink sink;
    private final Cause cause;

    Flushes(TlbClock clock, ObservationSink sink, Cause cause) {
        this.clock = clock;
        this.sink = sink;
        this.cause = cause;
    }

    /** A full flush, global entries included (Xen's write_cr3 toggles CR4.PGE), on every CPU of {@code mask}. */
    void full(String kind, Flush.Origin origin, long mask) {
        clock.fullFlush(mask);
        emit(kind, origin, mask, false, 0);
    }

    /** INVLPG of the page holding {@code vaddr} on every CPU of {@code mask}. */
    void page(String kind, Flush.Origin origin, long mask, long vaddr) {
        emit(kind, origin, mask, true, vaddr);
    }

    private void emit(String kind, Flush.Origin origin, long mask, boolean onePage, long vaddr) {
        sink.observe(new Flush(cause.event, cause.cpu, kind, origin, false, 0, false, Long.bitCount(mask)));
    }
}
