package dev.mmutrace.replay;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import dev.mmutrace.replay.observe.ObservationSink;
import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.PtepModifyProt;
import dev.mmutrace.trace.SetPgd;
import dev.mmutrace.trace.SetPmd;
import dev.mmutrace.trace.SetPte;
import dev.mmutrace.trace.SetPteAt;
import dev.mmutrace.trace.SetPud;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import java.util.Iterator;
import java.util.List;

/**
 * Drives one trace through a set of models in one pass. The engine owns the guest memory that
 * all models share: each event goes to every model first (so a model sees the entry's old value),
 * then the engine stores the guest's update.
 */
public final class ReplayEngine implements ReplayContext {
    /** Accessed and Dirty: the bits ptep_modify_prot keeps from the entry as it stands. */
    private static final long ACCESSED_DIRTY = (1L << 5) | (1L << 6);

    private final TraceHeader header;
    private final GuestMemory memory;
    private final ImmutableList<MemoryModel> models;
    private final ReplayListener listener;

    public ReplayEngine(TraceHeader header, List<ModelFactory> factories, ModelOptions options,
            ReplayListener listener) {
        this.header = requireNonNull(header, "header");
        this.memory = new GuestMemory(header.pagingMode());
        this.listener = requireNonNull(listener, "listener");
        ImmutableList.Builder<MemoryModel> b = ImmutableList.builder();
        for (ModelFactory f : factories) {
            String name = f.name();
            ObservationSink sink = o -> listener.onObservation(name, o);
            b.add(f.create(this, sink, options));
        }
        this.models = b.build();
    }

    @Override
    public TraceHeader header() {
        return header;
    }

    @Override
    public GuestMemory memory() {
        return memory;
    }

    public ImmutableList<MemoryModel> models() {
        return models;
    }

    /** Replays every event of {@code events}; returns how many there were. */
    public long run(Iterator<TraceEvent> events) {
        long index = 0;
        while (events.hasNext()) {
            TraceEvent e = events.next();
            listener.onEventStart(index, e);
            if (e instanceof Access a) {
                AccessRequest request = new AccessRequest(a.cpu(), a.vaddr(), a.kind(), a.user(), false);
                for (MemoryModel m : models) {
                    if (!m.stopped()) {
                        m.onAccess(index, request);
                    }
                }
            } else {
                for (MemoryModel m : models) {
                    if (!m.stopped()) {
                        m.onEvent(index, e);
                    }
                }
                store(e);
            }
            listener.onEventEnd(index);
            index++;
        }
        for (MemoryModel m : models) {
            m.onEnd(index);
        }
        listener.onEnd(index);
        return index;
    }

    /** Applies an entry update to the shared guest memory, after every model has seen it. */
    private void store(TraceEvent e) {
        switch (e.type()) {
            case SET_PTE -> memory.write(((SetPte) e).entryGpa(), ((SetPte) e).value());
            case SET_PTE_AT -> memory.write(((SetPteAt) e).entryGpa(), ((SetPteAt) e).value());
            case PTEP_MODIFY_PROT -> {
                PtepModifyProt s = (PtepModifyProt) e;
                memory.write(s.entryGpa(), s.value() | (memory.read(s.entryGpa()) & ACCESSED_DIRTY));
            }
            case SET_PMD -> memory.write(((SetPmd) e).entryGpa(), ((SetPmd) e).value());
            case SET_PUD -> memory.write(((SetPud) e).entryGpa(), ((SetPud) e).value());
            case SET_PGD -> {
                SetPgd s = (SetPgd) e;
                memory.write(s.entryGpa(), s.value());
                if (s.hasUserEntry()) {
                    memory.write(s.userEntryGpa(), s.value());
                }
            }
            default -> {
            }
        }
    }
}
