package dev.mmutrace.replay;

import dev.mmutrace.replay.mmu.TlbSet;
import dev.mmutrace.replay.observe.MissedFlush;
import dev.mmutrace.replay.observe.ObservationSink;

/**
 * A frame changing use under a model's TLBs: a page table freed (release_pt), or a frame becoming
 * one (alloc_pt, a type change). Each stale translation the TLBs still hold through that frame is
 * a missed flush of the event that changed it, reported to the model's sink by vCPU, then vaddr
 * (docs/mmu.md). "Still" means after whatever the model flushed on the way, so a model calls these
 * once its own flushes for the event are done.
 */
public final class MissedFlushes {
    private MissedFlushes() {
    }

    /** Event {@code event} frees the page table at {@code pfn}: the stale walks through it are missed. */
    public static void tableFreed(TlbSet tlbs, long event, long pfn, ObservationSink sink) {
        tlbs.onTableFreed(pfn, (cpu, vaddr) ->
                sink.observe(new MissedFlush(event, cpu, vaddr, MissedFlush.Why.FRAME_FREED)));
    }

    /** Event {@code event} makes the frame at {@code pfn} a page table: stale mappings of it are missed. */
    public static void frameRetyped(TlbSet tlbs, long event, long pfn, ObservationSink sink) {
        tlbs.onFrameRetyped(pfn, (cpu, vaddr) ->
                sink.observe(new MissedFlush(event, cpu, vaddr, MissedFlush.Why.FRAME_RETYPED)));
    }
}
