package dev.mmutrace.replay.lguest;

import com.google.common.collect.ImmutableMap;
import dev.mmutrace.replay.GuestMemory;
import dev.mmutrace.replay.ModelOptions;
import dev.mmutrace.replay.ReplayEngine;
import dev.mmutrace.replay.ReplayListener;
import dev.mmutrace.replay.observe.Exit;
import dev.mmutrace.replay.observe.Observation;
import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.AccessMode;
import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.LazyMmu;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.SetPmd;
import dev.mmutrace.trace.SetPte;
import dev.mmutrace.trace.SetPteAt;
import dev.mmutrace.trace.SetStack;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.WriteCr3;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A small trace written event by event, replayed through the lguest model alone. */
final class LguestTrace {
    static final long P = 0x1;
    static final long RW = 0x2;
    static final long US = 0x4;
    static final long PWT = 0x8;
    static final long A = 0x20;
    static final long D = 0x40;
    /** Linux's _PAGE_TABLE and _KERNPG_TABLE. */
    static final long PAGE_TABLE = 0x67;
    static final long KERNPG_TABLE = 0x63;
    static final long NO = TraceEvent.NO_TIMESTAMP;

    private final TraceHeader header;
    private final List<TraceEvent> events = new ArrayList<>();
    private ImmutableMap<String, String> settings = ImmutableMap.of();
    private long seed;

    private LguestTrace(TraceHeader header) {
        this.header = header;
    }

    /** 2-level, one vCPU, 4096 frames of guest memory, explicit accesses. */
    static LguestTrace twoLevel() {
        return new LguestTrace(TraceHeader.defaults(PagingMode.TWO_LEVEL, 1, 0x1000)
                .withAccessMode(AccessMode.EXPLICIT));
    }

    static LguestTrace of(TraceHeader header) {
        return new LguestTrace(header);
    }

    LguestTrace settings(ImmutableMap<String, String> s) {
        this.settings = s;
        return this;
    }

    LguestTrace seed(long s) {
        this.seed = s;
        return this;
    }

    /** The index the next event will have. */
    long next() {
        return events.size();
    }

    LguestTrace add(TraceEvent e) {
        events.add(e);
        return this;
    }

    LguestTrace cr3(long pgd) {
        return add(new WriteCr3(0, NO, pgd, WriteCr3.Root.KERNEL));
    }

    LguestTrace pmd(long slot, long value) {
        return add(new SetPmd(0, NO, slot, value));
    }

    LguestTrace pteAt(long mm, long vaddr, long slot, long value) {
        return add(new SetPteAt(0, NO, mm, vaddr, slot, value));
    }

    LguestTrace pte(long slot, long value) {
        return add(new SetPte(0, NO, slot, value));
    }

    LguestTrace read(long vaddr) {
        return add(new Access(0, NO, vaddr, Access.Kind.READ, false));
    }

    LguestTrace write(long vaddr) {
        return add(new Access(0, NO, vaddr, Access.Kind.WRITE, false));
    }

    LguestTrace stack(long top, int pages) {
        return add(new SetStack(0, NO, top, pages));
    }

    LguestTrace flushOne(long vaddr) {
        return add(FlushTlb.one(0, NO, vaddr));
    }

    LguestTrace lazy(LazyMmu.Phase phase) {
        return add(new LazyMmu(0, NO, phase));
    }

    Result run() {
        List<Observation> seen = new ArrayList<>();
        ReplayListener listener = (model, o) -> seen.add(o);
        ReplayEngine engine = new ReplayEngine(header, List.of(new LguestFactory()),
                new ModelOptions(seed, settings), listener);
        engine.run(events.iterator());
        return new Result(seen, engine.memory());
    }

    record Result(List<Observation> observations, GuestMemory memory) {

        <T extends Observation> List<T> all(Class<T> type) {
            List<T> out = new ArrayList<>();
            for (Observation o : observations) {
                if (type.isInstance(o)) {
                    out.add(type.cast(o));
                }
            }
            return out;
        }

        <T extends Observation> List<T> all(Class<T> type, Predicate<T> test) {
            return all(type).stream().filter(test).toList();
        }

        <T extends Observation> long count(Class<T> type, Predicate<T> test) {
            return all(type, test).size();
        }

        long exits(String cause) {
            return count(Exit.class, e -> e.cause().equals(cause));
        }

        /** Observations tied to event {@code index}. */
        List<Observation> at(long index) {
            return observations.stream().filter(o -> o.event() == index).toList();
        }
    }
}
