package dev.mmutrace.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.replay.observe.Fault;
import dev.mmutrace.replay.observe.GapUncertainty;
import dev.mmutrace.replay.observe.Multicall;
import dev.mmutrace.replay.observe.Observation;
import dev.mmutrace.replay.observe.UnknownStateWalk;
import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.AccessMode;
import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.Gap;
import dev.mmutrace.trace.InitialMemory;
import dev.mmutrace.trace.LazyMmu;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.SetPgd;
import dev.mmutrace.trace.SetPmd;
import dev.mmutrace.trace.SetPte;
import dev.mmutrace.trace.SetPteAt;
import dev.mmutrace.trace.SetPud;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.WriteCr3;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a gap (the tracer lost events of one vCPU) does to a replay, docs/mmu.md "After a gap", on
 * small hand-built 4level traces that start from empty memory (so every unknown here comes from
 * the gap). Tables: PML4 0x100000, PDPT 0x101000, PD 0x102000, PT 0x103000; vaddr 0x40201000 uses
 * PML4[0], PDPT[1], PD[1], PT[1] (slot 0x103008). CPU features are Linux's default, CR4.PGE on.
 */
class GapReplayTest {
    private static final long TABLE = 0x7;
    private static final long VA = 0x40201000L;
    private static final long PTE = 0x103008;
    private static final long USER_RW = 0x7;

    private final List<Observation> seen = new ArrayList<>();

    private List<Observation> replay(String model, List<TraceEvent> events) {
        TraceHeader h = TraceHeader.defaults(PagingMode.FOUR_LEVEL, 2, 1 << 20).withAccessMode(AccessMode.EXPLICIT)
                .withInitialMemory(InitialMemory.EMPTY);
        ReplayEngine engine = new ReplayEngine(h, List.of(Models.named(model).orElseThrow()), ModelOptions.DEFAULTS,
                new ReplayListener() {
                    @Override
                    public void onObservation(String m, Observation o) {
                        seen.add(o);
                    }
                });
        engine.run(events.iterator());
        return seen;
    }

    private static List<TraceEvent> tables() {
        List<TraceEvent> e = new ArrayList<>();
        e.add(new SetPgd(0, -1, 0x100000, 0x101000 | TABLE, TraceEvent.NO_ADDRESS)); // 0
        e.add(new SetPud(0, -1, 0x101008, 0x102000 | TABLE));                       // 1
        e.add(new SetPmd(0, -1, 0x102008, 0x103000 | TABLE));                       // 2
        return e;
    }

    private <T> List<T> only(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Observation o : seen) {
            if (type.isInstance(o)) {
                out.add(type.cast(o));
            }
        }
        return out;
    }

    @Test
    void nativeFiguresAfterAGapAreMarkedUntilStateIsKnownAgain() {
        List<TraceEvent> e = tables();
        e.add(new WriteCr3(0, -1, 0x100000, WriteCr3.Root.KERNEL));         // 3
        e.add(new WriteCr3(1, -1, 0x100000, WriteCr3.Root.KERNEL));         // 4
        e.add(new SetPteAt(0, -1, 0x100000, VA, PTE, 0x5000 | USER_RW));     // 5
        e.add(new Access(0, -1, VA, Access.Kind.READ, true));               // 6: fills vCPU 0's TLB
        e.add(new Access(1, -1, VA, Access.Kind.READ, true));               // 7: fills vCPU 1's TLB
        e.add(Gap.of(1, -1, 3));                                            // 8
        e.add(new Access(1, -1, VA, Access.Kind.READ, true));               // 9
        e.add(new Access(0, -1, VA, Access.Kind.READ, true));               // 10
        e.add(FlushTlb.one(0, -1, VA));                                     // 11
        e.add(new Access(0, -1, VA, Access.Kind.READ, true));               // 12
        e.add(new WriteCr3(1, -1, 0x100000, WriteCr3.Root.KERNEL));         // 13
        e.add(FlushTlb.user(1, -1));                                        // 14
        e.add(FlushTlb.all(1, -1));                                         // 15
        e.add(FlushTlb.all(1, -1));                                         // 16
        e.add(new SetPte(1, -1, PTE, 0x6000 | USER_RW));                    // 17
        e.add(FlushTlb.one(0, -1, VA));                                     // 18
        e.add(new Access(0, -1, VA, Access.Kind.READ, true));               // 19
        replay("native", e);
        // 9: vCPU 1's cr3 is unknown since the gap and its TLB was forgotten (the entry 7 filled is
        //    gone), so the access walks from no cr3: an unknown-state walk, and a guest fault.
        // 10: vCPU 0 had no gap: its TLB entry from 6 serves the access, nothing walks.
        // 11: vCPU 0's TLB is known: its flush is a plain wasted one (the entry was not stale).
        // 12: the walk reads PML4[0], PDPT[1], PD[1], PT[1], all written before the gap (a lost
        //     store of vCPU 1 may have changed them): one entry_before_gap.
        // 13: vCPU 1's cr3 load flushes its non-global entries, judged against a TLB the gap left
        //     unknown: tlb_since_gap. Its global part stays unknown (PGE on).
        // 14: a non-global flush, the global part still unknown: tlb_since_gap.
        // 15: a full flush, still judged against the unknown global part: tlb_since_gap; after it
        //     vCPU 1's TLB is known again, so 16 is plain.
        // 17 rewrites PT[1] after the gap; 18 is vCPU 0's needed flush of the entry 12 filled (a
        //    known TLB: plain); 19 walks PML4[0], PDPT[1], PD[1] (before the gap) and PT[1] (after):
        //    one entry_before_gap.
        assertThat(only(UnknownStateWalk.class)).containsExactly(new UnknownStateWalk(9, 1, VA, -1));
        assertThat(only(Fault.class)).containsExactly(new Fault(9, 1, Fault.Kind.GUEST, VA, 0x4));
        assertThat(only(GapUncertainty.class)).containsExactly(
                new GapUncertainty(12, 0, GapUncertainty.Kind.ENTRY_BEFORE_GAP),
                new GapUncertainty(13, 1, GapUncertainty.Kind.TLB_SINCE_GAP),
                new GapUncertainty(14, 1, GapUncertainty.Kind.TLB_SINCE_GAP),
                new GapUncertainty(15, 1, GapUncertainty.Kind.TLB_SINCE_GAP),
                new GapUncertainty(19, 0, GapUncertainty.Kind.ENTRY_BEFORE_GAP));
    }

    /**
     * After a gap on vCPU 1, its accesses walk from no known cr3 until it loads one (xen: on a
     * tree Xen accepts, XenGapTest).
     */
    @ParameterizedTest
    @ValueSource(strings = {"native", "lguest"})
    void accessAfterAGapIsAnUnknownStateWalkUntilTheNextCr3(String model) {
        List<TraceEvent> e = tables();
        e.add(new SetPte(0, -1, PTE, 0x5000 | USER_RW));                    // 3
        e.add(new WriteCr3(1, -1, 0x100000, WriteCr3.Root.KERNEL));         // 4
        e.add(new Access(1, -1, VA, Access.Kind.READ, true));               // 5: a known walk
        e.add(Gap.ofUnknownSize(1, -1));                                    // 6
        e.add(new Access(1, -1, VA, Access.Kind.READ, true));               // 7: no cr3 known
        e.add(new WriteCr3(1, -1, 0x100000, WriteCr3.Root.KERNEL));         // 8
        e.add(new Access(1, -1, VA, Access.Kind.READ, true));               // 9: known again
        replay(model, e);
        assertThat(only(UnknownStateWalk.class)).containsExactly(new UnknownStateWalk(7, 1, VA, -1));
    }

    /**
     * A lazy MMU window open when events were lost was left among them: xen issues the batch and
     * lguest counts the window's one exit at the gap, and neither batches the next update.
     */
    @ParameterizedTest
    @ValueSource(strings = {"xen", "lguest"})
    void gapClosesTheLazyWindow(String model) {
        List<TraceEvent> e = tables();
        e.add(new WriteCr3(0, -1, 0x100000, WriteCr3.Root.KERNEL));         // 3
        e.add(new LazyMmu(0, -1, LazyMmu.Phase.ENTER));                     // 4
        e.add(new SetPteAt(0, -1, 0x100000, VA, PTE, 0x5000 | USER_RW));     // 5: batched
        e.add(Gap.of(0, -1, 10));                                           // 6: the batch goes out
        replay(model, e);
        // one multicall of the one batched update, at the gap (xen's at 3 is its cr3 load's)
        assertThat(only(Multicall.class)).filteredOn(m -> m.event() > 3).extracting(Multicall::event,
                Multicall::entries).containsExactly(org.assertj.core.groups.Tuple.tuple(6L, 1));
    }
}
