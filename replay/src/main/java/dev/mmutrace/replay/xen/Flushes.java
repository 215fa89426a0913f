package dev.mmutrace.replay.xen;

import dev.mmutrace.replay.GapFigures;
import dev.mmutrace.replay.mmu.FlushOutcome;
import dev.mmutrace.replay.mmu.TlbSet;
import dev.mmutrace.replay.observe.Flush;
import dev.mmutrace.replay.observe.ObservationSink;

/**
 * Every TLB flush Xen performs for the domain passes through here, whoever asked for it: the
 * guest (TLB_FLUSH_LOCAL, INVLPG_LOCAL, the MULTI ops) or Xen itself (UVMF flags, NEW_BASEPTR,
 * the type-change IPIs the TLB clock forces). A full flush ticks the TLB clock; a single-page
 * flush does not (flushtlb.c). Each flush is classified needed / wasted / over-broad against the
 * hardware TLBs of the vCPUs it reaches (SPEC §4).
 *
 * <p>A full flush on x86-64 Xen drops global entries too: with USER_MAPPINGS_ARE_GLOBAL its
 * write_cr3 and flush_area_local toggle CR4.PGE. 32-bit Xen reloads cr3, which keeps them.
 */
final class Flushes {
    private final TlbClock clock;
    private final ObservationSink sink;
    private final Cause cause;
    private final TlbSet tlbs;
    private final TlbSet.Scope fullScope;

    Flushes(TlbClock clock, ObservationSink sink, Cause cause, TlbSet tlbs, boolean globalsGo) {
        this.clock = clock;
        this.sink = sink;
        this.cause = cause;
        this.tlbs = tlbs;
        this.fullScope = globalsGo ? TlbSet.Scope.ALL : TlbSet.Scope.NON_GLOBAL;
    }

    /** A full flush on every CPU of {@code mask}. */
    void full(String kind, Flush.Origin origin, long mask) {
        clock.fullFlush(mask);
        emit(kind, origin, mask, tlbs.flush(mask, fullScope, 0, 0));
    }

    /** INVLPG of the page holding {@code vaddr} on every CPU of {@code mask}. */
    void page(String kind, Flush.Origin origin, long mask, long vaddr) {
        emit(kind, origin, mask, tlbs.flush(mask, TlbSet.Scope.PAGE, vaddr, 0));
    }

    private void emit(String kind, Flush.Origin origin, long mask, FlushOutcome o) {
        sink.observe(new Flush(cause.event, cause.cpu, kind, origin, o.needed(), o.staleRemoved(), o.overBroad(),
                Long.bitCount(mask)));
        GapFigures.flushed(o, cause.event, cause.cpu, sink);
    }
}
