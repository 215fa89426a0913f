package dev.mmutrace.replay;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import dev.mmutrace.replay.mmu.EntryFormat;
import dev.mmutrace.replay.mmu.Walker;
import dev.mmutrace.replay.observe.ObservationSink;
import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.AccessMode;
import dev.mmutrace.trace.AllocPt;
import dev.mmutrace.trace.EntryBits;
import dev.mmutrace.trace.EntryUpdate;
import dev.mmutrace.trace.Gap;
import dev.mmutrace.trace.PageFault;
import dev.mmutrace.trace.PtepModifyProt;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.TraceInputException;
import java.util.Iterator;
import java.util.List;

/**
 * Drives one trace through a set of models in one pass. The engine owns the guest memory that
 * all models share: each event goes to every model first (so a model sees the entry's old value),
 * then the engine stores the guest's update.
 *
 * <p>Accesses (SPEC §2.1): {@code access} events always go to the models' {@code onAccess}. When
 * the header says accesses are implied, a {@code page_fault} also stands for the access that took
 * it: after the models have seen the fault, the engine schedules its retry (kind from the error
 * code's W and I/D bits, user from U) and performs it just before the same vCPU's next event that
 * is not an entry update, or at the end of the trace (vCPUs in order). The retry reaches the
 * models as {@code onAccess} with {@code retry} set and the fault's index. In explicit mode a
 * page fault is only a claim for the models to check.
 *
 * <p>{@code alloc_pt} below the top level zeroes the frame after the models have seen it (the guest
 * allocates page tables zeroed), so walks into a fresh table find not-present entries, not unknown
 * ones.
 *
 * <p>A {@code gap} (the tracer lost events of a vCPU) goes to every model, which forgets what it
 * held of that vCPU; the engine then marks every entry of guest memory as last seen before a gap
 * ({@link GuestMemory#gap}), since a lost store may have changed any of them (docs/mmu.md).
 */
public final class ReplayEngine implements ReplayContext {
    /** Accessed and Dirty: the bits ptep_modify_prot keeps from the entry as it stands. */
    private static final long ACCESSED_DIRTY = EntryBits.ACCESSED | EntryBits.DIRTY;

    private final TraceHeader header;
    private final GuestMemory memory;
    private final EntryFormat format;
    private final Walker walker;
    private final ImmutableList<MemoryModel> models;
    /** The same models as an array: the per-event loops then allocate no iterator. */
    private final MemoryModel[] modelArray;
    private final ReplayListener listener;
    private final boolean implied;

    /** Per vCPU: the implied retry waiting to happen, or null. */
    private final AccessRequest[] pendingRetry;
    private final long[] pendingFault;

    public ReplayEngine(TraceHeader header, List<ModelFactory> factories, ModelOptions options,
            ReplayListener listener) {
        this.header = requireNonNull(header, "header");
        this.memory = new GuestMemory(header.pagingMode(), header.initialMemory());
        this.format = new EntryFormat(header.pagingMode(), header.cpuFeatures());
        this.walker = new Walker(format, memory);
        this.listener = requireNonNull(listener, "listener");
        this.implied = header.accessMode() == AccessMode.IMPLIED;
        this.pendingRetry = new AccessRequest[header.vcpus()];
        this.pendingFault = new long[header.vcpus()];
        ImmutableList.Builder<MemoryModel> b = ImmutableList.builder();
        for (ModelFactory f : factories) {
            ObservationSink sink = listener.sink(f.name());
            b.add(f.create(this, sink, options));
        }
        this.models = b.build();
        this.modelArray = models.toArray(new MemoryModel[0]);
    }

    @Override
    public TraceHeader header() {
        return header;
    }

    @Override
    public GuestMemory memory() {
        return memory;
    }

    @Override
    public EntryFormat format() {
        return format;
    }

    @Override
    public Walker walker() {
        return walker;
    }

    public ImmutableList<MemoryModel> models() {
        return models;
    }

    /** Replays every event of {@code events}; returns how many there were. */
    public long run(Iterator<TraceEvent> events) {
        return run(events, 0);
    }

    /**
     * Replays every event of {@code events}, the first being number {@code firstIndex} of the
     * trace (a window's first event: observations and the listener then number events as a replay
     * of the whole trace does); returns the number after the last one. Events before
     * {@code firstIndex} were not replayed, so the replay begins as after a gap on every vCPU
     * ({@link #unknownBefore}).
     */
    public long run(Iterator<TraceEvent> events, long firstIndex) {
        Run run = start(events, firstIndex);
        run.advance(Long.MAX_VALUE);
        return run.finish();
    }

    /**
     * Begins the replay {@link #run(Iterator, long)} does in one go, to be carried on a slice of
     * events at a time ({@link Run#advance}) and ended by {@link Run#finish}: so several traces can
     * take turns on fewer threads. Between slices the run may pass to another thread, when it is
     * handed over through a lock or a queue (the engine, its models and its listener are then seen
     * by that thread as the last one left them); the models see the same events in the same order
     * however the trace is sliced.
     */
    public Run start(Iterator<TraceEvent> events, long firstIndex) {
        if (firstIndex > 0) {
            unknownBefore(firstIndex);
        }
        return new Run(events, firstIndex);
    }

    /** A replay under way ({@link #start}): the events left and the number of the next one. */
    public final class Run {
        private final Iterator<TraceEvent> events;
        private long index;

        private Run(Iterator<TraceEvent> events, long firstIndex) {
            this.events = events;
            this.index = firstIndex;
        }

        /** Replays up to {@code max} more events; whether any are left after them. */
        public boolean advance(long max) {
            long index = this.index;
            for (long left = max; left > 0 && events.hasNext(); left--) {
                TraceEvent e = events.next();
                int cpu = e.cpu();
                if (cpu >= header.vcpus()) {
                    throw TraceInputException.atRecord("trace", index + 1, "cpu",
                            "vCPU " + cpu + " but the header has " + header.vcpus());
                }
                if (pendingRetry[cpu] != null && !e.type().isEntryUpdate()) {
                    retry(cpu);
                }
                listener.onEventStart(index, e);
                if (e instanceof Access a) {
                    access(index, new AccessRequest(cpu, a.vaddr(), a.kind(), a.user(), false));
                } else {
                    for (MemoryModel m : modelArray) {
                        if (!m.stopped()) {
                            m.onEvent(index, e);
                        }
                    }
                    store(e);
                    if (implied && e instanceof PageFault f) {
                        pendingRetry[cpu] = new AccessRequest(cpu, f.vaddr(), f.accessKind(), f.user(), true);
                        pendingFault[cpu] = index;
                    }
                }
                listener.onEventEnd(index);
                index++;
            }
            this.index = index;
            return events.hasNext();
        }

        /**
         * Ends the replay after its last event: the retries still pending, then the models' and
         * the listener's end; returns the number after the last event.
         */
        public long finish() {
            for (int cpu = 0; cpu < pendingRetry.length; cpu++) {
                if (pendingRetry[cpu] != null) {
                    retry(cpu);
                }
            }
            for (MemoryModel m : models) {
                m.onEnd(index);
            }
            listener.onEnd(index);
            return index;
        }
    }

    /**
     * The start of a window whose earlier events were left out: a gap on every vCPU, so each
     * model treats their translation state as unknown exactly as after events the tracer lost
     * (docs/mmu.md, "After a gap"). These gaps are not events of the trace: they take no number
     * and the listener hears of no event; what the models observe of them is the first event's.
     */
    private void unknownBefore(long firstIndex) {
        for (int cpu = 0; cpu < header.vcpus(); cpu++) {
            Gap gap = Gap.ofUnknownSize(cpu, TraceEvent.NO_TIMESTAMP);
            for (MemoryModel m : modelArray) {
                m.onEvent(firstIndex, gap);
            }
            store(gap);
        }
    }

    private void retry(int cpu) {
        AccessRequest r = pendingRetry[cpu];
        long fault = pendingFault[cpu];
        pendingRetry[cpu] = null;
        listener.onRetryStart(fault, r);
        access(fault, r);
        listener.onRetryEnd(fault);
    }

    private void access(long index, AccessRequest request) {
        for (MemoryModel m : modelArray) {
            if (!m.stopped()) {
                m.onAccess(index, request);
            }
        }
    }

    /** Applies an entry update to the shared guest memory, after every model has seen it. */
    private void store(TraceEvent e) {
        if (e.type().isEntryUpdate()) {
            EntryUpdate u = EntryUpdate.of(e);
            long value = u.value();
            if (u instanceof PtepModifyProt) {
                value |= memory.read(u.entryGpa()) & ACCESSED_DIRTY;
            }
            memory.write(u.entryGpa(), value);
            if (u.userEntryGpa() != TraceEvent.NO_ADDRESS) {
                memory.write(u.userEntryGpa(), value);
            }
        } else if (e instanceof AllocPt a && a.level() < format.top()) {
            memory.zeroFrame(a.pfn());
        } else if (e instanceof Gap) {
            memory.gap();
        }
    }
}
