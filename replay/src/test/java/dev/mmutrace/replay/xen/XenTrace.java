package dev.mmutrace.replay.xen;

import com.google.common.collect.ImmutableMap;
import dev.mmutrace.replay.ModelOptions;
import dev.mmutrace.replay.ReplayEngine;
import dev.mmutrace.replay.ReplayListener;
import dev.mmutrace.replay.observe.Observation;
import dev.mmutrace.trace.AllocPt;
import dev.mmutrace.trace.LazyMmu;
import dev.mmutrace.trace.P2m;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.Pin;
import dev.mmutrace.trace.ReleasePt;
import dev.mmutrace.trace.SetPgd;
import dev.mmutrace.trace.SetPmd;
import dev.mmutrace.trace.SetPte;
import dev.mmutrace.trace.SetPteAt;
import dev.mmutrace.trace.SetPud;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.Unpin;
import dev.mmutrace.trace.WriteCr3;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A small trace built in a test and replayed through the xen model alone, with every
 * observation collected. Entry helpers take pfns and build the guest's (pfn-based) values.
 */
final class XenTrace {
    static final int NONE = (int) TraceEvent.NO_TIMESTAMP;
    /** Present, RW, user: what Linux puts in upper-level entries and user PTEs. */
    static final long PRW = 0x7;
    static final long PRO = 0x5;

    final TraceHeader header;
    final List<TraceEvent> events = new ArrayList<>();
    private ImmutableMap<String, String> settings = ImmutableMap.of();

    XenTrace(PagingMode mode, int vcpus, long pfnLimit) {
        this(TraceHeader.defaults(mode, vcpus, pfnLimit).withP2m(P2m.PERMUTATION));
    }

    XenTrace(TraceHeader header) {
        this.header = header;
    }

    static XenTrace fourLevel(int vcpus) {
        return new XenTrace(PagingMode.FOUR_LEVEL, vcpus, 64);
    }

    XenTrace with(String key, String value) {
        settings = ImmutableMap.of(key, value);
        return this;
    }

    /** The machine frame the default permutation gives {@code pfn} in this trace. */
    long mfn(long pfn) {
        return header.p2m().mfn(pfn, header.pfnLimit());
    }

    /** Index of the next event added. */
    long next() {
        return events.size();
    }

    XenTrace add(TraceEvent e) {
        events.add(e);
        return this;
    }

    XenTrace setPte(int cpu, long tablePfn, int slot, long value) {
        return add(new SetPte(cpu, NONE, slot(tablePfn, slot), value));
    }

    XenTrace setPteAt(int cpu, long mmPfn, long vaddr, long tablePfn, int slot, long value) {
        return add(new SetPteAt(cpu, NONE, mmPfn << 12, vaddr, slot(tablePfn, slot), value));
    }

    XenTrace setPmd(int cpu, long tablePfn, int slot, long value) {
        return add(new SetPmd(cpu, NONE, slot(tablePfn, slot), value));
    }

    XenTrace setPud(int cpu, long tablePfn, int slot, long value) {
        return add(new SetPud(cpu, NONE, slot(tablePfn, slot), value));
    }

    XenTrace setPgd(int cpu, long tablePfn, int slot, long value) {
        return add(new SetPgd(cpu, NONE, slot(tablePfn, slot), value, TraceEvent.NO_ADDRESS));
    }

    XenTrace pin(int cpu, long pgdPfn) {
        return add(new Pin(cpu, NONE, pgdPfn << 12, header.pagingMode().levels()));
    }

    XenTrace unpin(int cpu, long pgdPfn) {
        return add(new Unpin(cpu, NONE, pgdPfn << 12, header.pagingMode().levels()));
    }

    XenTrace cr3(int cpu, long pgdPfn) {
        return add(new WriteCr3(cpu, NONE, pgdPfn << 12, WriteCr3.Root.KERNEL));
    }

    XenTrace allocPt(int cpu, long pfn, int level, boolean pinned) {
        return add(new AllocPt(cpu, NONE, pfn, level, pinned));
    }

    XenTrace releasePt(int cpu, long pfn, int level, boolean pinned) {
        return add(new ReleasePt(cpu, NONE, pfn, level, pinned));
    }

    XenTrace lazy(int cpu, boolean enter) {
        return add(new LazyMmu(cpu, NONE, enter ? LazyMmu.Phase.ENTER : LazyMmu.Phase.LEAVE));
    }

    /**
     * A 4level tree mapping user vaddr 0x400000 (L4 slot 0, L3 slot 0, L2 slot 2, L1 slot 0) to
     * data pfn 10: pgd {@code pgd}, pud pgd+1, pmd pgd+2, pte pgd+3, all written by plain stores
     * while unpinned.
     */
    XenTrace tree(int cpu, long pgd) {
        return setPgd(cpu, pgd, 0, ((pgd + 1) << 12) | PRW)
                .setPud(cpu, pgd + 1, 0, ((pgd + 2) << 12) | PRW)
                .setPmd(cpu, pgd + 2, 2, ((pgd + 3) << 12) | PRW)
                .setPte(cpu, pgd + 3, 0, (10L << 12) | PRW);
    }

    long slot(long tablePfn, int slot) {
        return (tablePfn << 12) + (long) slot * header.pagingMode().entryBytes();
    }

    List<Observation> replay() {
        List<Observation> out = new ArrayList<>();
        ReplayListener listener = (model, o) -> out.add(o);
        ReplayEngine engine = new ReplayEngine(header, List.of(new XenModelFactory()),
                new ModelOptions(0, settings), listener);
        engine.run(events.iterator());
        return out;
    }

    static <T extends Observation> List<T> only(List<Observation> all, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Observation o : all) {
            if (type.isInstance(o)) {
                out.add(type.cast(o));
            }
        }
        return out;
    }

    static <T extends Observation> List<T> only(List<Observation> all, Class<T> type, Predicate<T> which) {
        List<T> out = new ArrayList<>();
        for (T o : only(all, type)) {
            if (which.test(o)) {
                out.add(o);
            }
        }
        return out;
    }
}
