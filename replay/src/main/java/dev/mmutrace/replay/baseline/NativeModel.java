package dev.mmutrace.replay.baseline;

import static java.util.Objects.requireNonNull;

import dev.mmutrace.replay.AccessRequest;
import dev.mmutrace.replay.GapFigures;
import dev.mmutrace.replay.GuestMemory;
import dev.mmutrace.replay.MemoryModel;
import dev.mmutrace.replay.MissedFlushes;
import dev.mmutrace.replay.ReplayContext;
import dev.mmutrace.replay.mmu.EntryFormat;
import dev.mmutrace.replay.mmu.FlushOutcome;
import dev.mmutrace.replay.mmu.TlbSet;
import dev.mmutrace.replay.mmu.Translation;
import dev.mmutrace.replay.mmu.Walk;
import dev.mmutrace.replay.mmu.Walker;
import dev.mmutrace.replay.observe.Fault;
import dev.mmutrace.replay.observe.Flush;
import dev.mmutrace.replay.observe.IgnoredEvent;
import dev.mmutrace.replay.observe.MissedFlush;
import dev.mmutrace.replay.observe.ObservationSink;
import dev.mmutrace.replay.observe.Remark;
import dev.mmutrace.replay.observe.UnknownStateWalk;
import dev.mmutrace.trace.AccessMode;
import dev.mmutrace.trace.AllocPt;
import dev.mmutrace.trace.EntryBits;
import dev.mmutrace.trace.EntryUpdate;
import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.PageFault;
import dev.mmutrace.trace.PtepModifyProt;
import dev.mmutrace.trace.ReleasePt;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.WriteCr3;

/**
 * Bare metal, the baseline every overhead is measured against (SPEC §6): an entry write is a
 * store, {@code write_cr3} is a cr3 load with the hardware's implied flush, a guest flush is what
 * the hardware does, and faults are taken by the guest. The model keeps per-vCPU cr3 and TLBs and
 * reports through observations only:
 *
 * <ul>
 *   <li>{@link Flush}: every {@code flush_tlb} (origin GUEST_REQUESTED, kind = its scope) and every
 *       cr3 load's implied flush (origin MODEL_GENERATED, kind {@code cr3_load}), classified
 *       needed / wasted / over-broad by the {@link TlbSet};
 *   <li>{@link MissedFlush}: a stale translation used by an access, or alive when its table is
 *       released or its frame becomes a page table;
 *   <li>{@link Fault}: GUEST for a fault the guest takes, SPURIOUS for a page_fault event whose
 *       walk finds a valid, permitted translation;
 *   <li>{@link UnknownStateWalk}: a walk that read a never-written slot (outcome: not present), or
 *       that had no cr3 (none yet, or none known since a gap on its vCPU);
 *   <li>{@link dev.mmutrace.replay.observe.GapUncertainty}: a walk that read an entry written
 *       before a gap, a flush of a TLB a gap left unknown (docs/mmu.md, "After a gap");
 *   <li>{@link IgnoredEvent}: events bare metal has no use for (pin, unpin, lazy_mmu, set_stack,
 *       a PV user-root cr3 load);
 *   <li>one {@link Remark} {@code native.retry_faulted} at the end when implied retries faulted
 *       again (the trace does not show how the guest resolved those faults).
 * </ul>
 *
 * <p>Faults. Implied mode: each page_fault is the guest's fault; it is checked against the tables as
 * they stand at the fault (before the handler's fix): a valid, permitted translation there makes it
 * SPURIOUS (another vCPU fixed it first, or a TLB held an older, narrower entry: x86 allows that
 * after an upgrade), otherwise GUEST. Its retry is an access like any other, not a second fault.
 * Explicit mode: a faulting {@code access} is the GUEST fault (error code from the walk); a
 * page_fault event is only a claim, SPURIOUS when the walk permits the access and silent otherwise
 * (the access that faulted was already counted). Stores are counted from the events, not observed.
 */
public final class NativeModel implements MemoryModel {
    public static final String NAME = "native";

    private final ObservationSink sink;
    private final GuestMemory memory;
    private final Walker walker;
    private final TlbSet tlbs;
    private final boolean implied;
    private final boolean pge;
    private final long[] cr3;
    private final Walk walk = new Walk();

    private long retriesFaulted;
    private long firstRetryFaulted = -1;

    public NativeModel(ReplayContext context, ObservationSink sink) {
        this.sink = requireNonNull(sink, "sink");
        this.memory = context.memory();
        this.walker = context.walker();
        EntryFormat format = walker.format();
        this.tlbs = new TlbSet(format, context.header().vcpus());
        this.implied = context.header().accessMode() == AccessMode.IMPLIED;
        this.pge = format.cpu().pge();
        this.cr3 = new long[context.header().vcpus()];
        long initial = context.header().hasInitMmPgd() ? context.header().initMmPgd() : Walk.NO_CR3;
        java.util.Arrays.fill(cr3, initial);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The model's TLBs, for tests and for anyone reading the model's state after a replay. */
    public TlbSet tlbs() {
        return tlbs;
    }

    @Override
    public void onEvent(long index, TraceEvent event) {
        int cpu = event.cpu();
        if (event.type().isEntryUpdate()) {
            store(EntryUpdate.of(event));
            return;
        }
        switch (event.type()) {
            case WRITE_CR3 -> loadCr3(index, (WriteCr3) event);
            case FLUSH_TLB -> flush(index, (FlushTlb) event);
            case PAGE_FAULT -> checkFault(index, (PageFault) event);
            case ALLOC_PT -> MissedFlushes.frameRetyped(tlbs, index, ((AllocPt) event).pfn(), sink);
            case RELEASE_PT -> MissedFlushes.tableFreed(tlbs, index, ((ReleasePt) event).pfn(), sink);
            case GAP -> {
                // lost events may have loaded another cr3 and filled or flushed the TLB
                cr3[cpu] = Walk.NO_CR3;
                tlbs.forget(cpu);
            }
            default -> sink.observe(new IgnoredEvent(index, cpu, event.type().wireName()));
        }
    }

    /** A store, as the hardware sees it: ptep_modify_prot keeps the entry's A/D; set_pgd may also write its user slot. */
    private void store(EntryUpdate u) {
        long value = u.value();
        if (u instanceof PtepModifyProt) {
            value |= memory.read(u.entryGpa()) & (EntryBits.ACCESSED | EntryBits.DIRTY);
        }
        change(u.entryGpa(), value);
        if (u.userEntryGpa() != TraceEvent.NO_ADDRESS) {
            change(u.userEntryGpa(), value);
        }
    }

    private void change(long slot, long value) {
        tlbs.onEntryChange(slot, memory.read(slot), value);
    }

    private void loadCr3(long index, WriteCr3 w) {
        if (w.root() == WriteCr3.Root.USER) {
            // Bare metal has one cr3; the PV user root mirrors user slots of the kernel root.
            sink.observe(new IgnoredEvent(index, w.cpu(), "write_cr3 user root"));
            return;
        }
        int cpu = w.cpu();
        cr3[cpu] = w.pgd();
        tlbs.pdptrs().load(cpu, w.pgd(), walker.format(), memory);
        FlushOutcome o = pge ? tlbs.flushNonGlobal(cpu) : tlbs.flushAll(cpu);
        // Never over-broad: the guest switched address spaces, which no INVLPG could replace.
        sink.observe(new Flush(index, cpu, "cr3_load", Flush.Origin.MODEL_GENERATED, o.needed(),
                o.staleRemoved(), false, 1));
        GapFigures.flushed(o, index, cpu, sink);
    }

    private void flush(long index, FlushTlb f) {
        int cpu = f.cpu();
        long targets;
        FlushOutcome o;
        switch (f.scope()) {
            case USER -> {
                targets = 1L << cpu;
                o = tlbs.flushNonGlobal(cpu);
            }
            case ALL -> {
                targets = 1L << cpu;
                o = tlbs.flushAll(cpu);
            }
            case ONE -> {
                targets = 1L << cpu;
                o = tlbs.flushPage(cpu, f.vaddr());
            }
            default -> {
                targets = 0;
                for (int c = 0; c < tlbs.vcpus(); c++) {
                    if (f.targets(c)) {
                        targets |= 1L << c;
                    }
                }
                if (f.isFullRange()) {
                    o = tlbs.flush(targets, TlbSet.Scope.NON_GLOBAL, 0, 0);
                } else if (f.vaddrEnd() == TraceEvent.NO_ADDRESS) {
                    o = tlbs.flush(targets, TlbSet.Scope.PAGE, f.vaddr(), 0);
                } else {
                    o = tlbs.flush(targets, TlbSet.Scope.RANGE, f.vaddr(), f.vaddrEnd());
                }
            }
        }
        sink.observe(new Flush(index, cpu, f.scope().wireName(), Flush.Origin.GUEST_REQUESTED, o.needed(),
                o.staleRemoved(), o.overBroad(), Long.bitCount(targets)));
        GapFigures.flushed(o, index, cpu, sink);
    }

    private void checkFault(long index, PageFault f) {
        int cpu = f.cpu();
        walker.walk(cr3[cpu], tlbs.pdptrs(), cpu, f.vaddr(), f.accessKind(), f.user(), false, walk);
        if (walk.unknown()) {
            sink.observe(new UnknownStateWalk(index, cpu, f.vaddr(), walk.unknownSlot()));
        }
        GapFigures.walked(walk, index, cpu, sink);
        if (walk.stalePdpte()) {
            sink.observe(new MissedFlush(index, cpu, f.vaddr(), MissedFlush.Why.STALE_PDPTE));
        }
        if (walk.ok()) {
            sink.observe(new Fault(index, cpu, Fault.Kind.SPURIOUS, f.vaddr(), f.errorCode()));
        } else if (implied) {
            sink.observe(new Fault(index, cpu, Fault.Kind.GUEST, f.vaddr(), f.errorCode()));
        }
    }

    @Override
    public void onAccess(long index, AccessRequest access) {
        int cpu = access.cpu();
        Translation t = tlbs.translate(cpu, cr3[cpu], access.vaddr(), access.kind(), access.user(), walker, walk);
        if (t.walked()) {
            GapFigures.walked(walk, index, cpu, sink);
            if (walk.stalePdpte()) {
                sink.observe(new MissedFlush(index, cpu, access.vaddr(), MissedFlush.Why.STALE_PDPTE));
            }
        }
        switch (t) {
            case STALE_HIT -> sink.observe(new MissedFlush(index, cpu, access.vaddr(), MissedFlush.Why.USED_STALE));
            case UNKNOWN -> {
                sink.observe(new UnknownStateWalk(index, cpu, access.vaddr(), walk.unknownSlot()));
                faulted(index, access);
            }
            case FAULT -> faulted(index, access);
            default -> {
            }
        }
    }

    private void faulted(long index, AccessRequest access) {
        if (access.retry()) {
            if (retriesFaulted++ == 0) {
                firstRetryFaulted = index;
            }
        } else {
            sink.observe(new Fault(index, access.cpu(), Fault.Kind.GUEST, access.vaddr(), walk.errorCode()));
        }
    }

    @Override
    public void onEnd(long events) {
        if (retriesFaulted > 0) {
            sink.observe(new Remark(events, 0, "native.retry_faulted", retriesFaulted
                    + " implied retries faulted again (first: the retry of event " + firstRetryFaulted
                    + "); the trace does not show how the guest resolved them"));
        }
    }
}
