package dev.mmutrace.replay.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.replay.ModelOptions;
import dev.mmutrace.replay.Models;
import dev.mmutrace.replay.ReplayEngine;
import dev.mmutrace.replay.ReplayListener;
import dev.mmutrace.replay.observe.Fault;
import dev.mmutrace.replay.observe.Flush;
import dev.mmutrace.replay.observe.MissedFlush;
import dev.mmutrace.replay.observe.Observation;
import dev.mmutrace.replay.observe.Remark;
import dev.mmutrace.replay.observe.UnknownStateWalk;
import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.AccessMode;
import dev.mmutrace.trace.AllocPt;
import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.InitialMemory;
import dev.mmutrace.trace.PageFault;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.ReleasePt;
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

/**
 * The native model on small hand-built 4level traces. Tables: PML4 0x100000, PDPT 0x101000, PD
 * 0x102000, PT 0x103000; vaddr 0x40201000 uses PML4[0], PDPT[1], PD[1], PT[1] (slot 0x103008).
 */
class NativeModelTest {
    static final long TABLE = 0x7;
    static final long VA = 0x40201000L;
    static final long PTE = 0x103008;
    static final long USER_RW = 0x7;
    static final long USER_RO = 0x5;

    final List<Observation> seen = new ArrayList<>();

    List<Observation> replay(AccessMode mode, List<TraceEvent> events) {
        return replay(mode, InitialMemory.UNKNOWN, events);
    }

    List<Observation> replay(AccessMode mode, InitialMemory initial, List<TraceEvent> events) {
        TraceHeader h = TraceHeader.defaults(PagingMode.FOUR_LEVEL, 2, 1 << 20).withAccessMode(mode)
                .withInitialMemory(initial);
        ReplayEngine engine = new ReplayEngine(h, List.of(Models.named("native").orElseThrow()),
                ModelOptions.DEFAULTS, new ReplayListener() {
                    @Override
                    public void onObservation(String model, Observation o) {
                        seen.add(o);
                    }
                });
        engine.run(events.iterator());
        return seen;
    }

    static List<TraceEvent> tables() {
        List<TraceEvent> e = new ArrayList<>();
        e.add(new SetPgd(0, -1, 0x100000, 0x101000 | TABLE, TraceEvent.NO_ADDRESS));
        e.add(new SetPud(0, -1, 0x101008, 0x102000 | TABLE));
        e.add(new SetPmd(0, -1, 0x102008, 0x103000 | TABLE));
        e.add(new WriteCr3(0, -1, 0x100000, WriteCr3.Root.KERNEL));
        return e;
    }

    static <T> List<T> only(List<Observation> all, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Observation o : all) {
            if (type.isInstance(o)) {
                out.add(type.cast(o));
            }
        }
        return out;
    }

    @Test
    void downgradeWithoutFlushThenAccessIsOneMissedFlush() {
        List<TraceEvent> e = tables();
        e.add(new SetPteAt(0, -1, 0x100000, VA, PTE, 0x5000 | USER_RW)); // 4
        e.add(new Access(0, -1, VA, Access.Kind.READ, true));              // 5: fills the TLB
        e.add(new SetPte(0, -1, PTE, 0));                                 // 6: downgrade, no flush
        e.add(new Access(0, -1, VA, Access.Kind.READ, true));              // 7: uses the stale entry
        e.add(new Access(0, -1, VA, Access.Kind.READ, true));              // 8: same stale entry again
        replay(AccessMode.EXPLICIT, e);
        assertThat(only(seen, MissedFlush.class))
                .containsExactly(new MissedFlush(7, 0, VA, MissedFlush.Why.USED_STALE));
    }

    @Test
    void flushAfterOnlyUpgradesIsWastedAndAfterADowngradeNeeded() {
        List<TraceEvent> e = tables();
        e.add(new SetPteAt(0, -1, 0x100000, VA, PTE, 0x5000 | USER_RO));  // 4
        e.add(new Access(0, -1, VA, Access.Kind.READ, true));              // 5
        e.add(new SetPte(0, -1, PTE, 0x5000 | USER_RW));                  // 6: upgrade
        e.add(FlushTlb.one(0, -1, VA));                                   // 7: wasted
        e.add(new Access(0, -1, VA, Access.Kind.READ, true));              // 8
        e.add(new SetPte(0, -1, PTE, 0x5000 | USER_RO));                  // 9: downgrade
        e.add(FlushTlb.one(0, -1, VA));                                   // 10: needed
        replay(AccessMode.EXPLICIT, e);
        List<Flush> flushes = only(seen, Flush.class);
        // Event 3 is the cr3 load (empty TLB: wasted, nothing removed).
        assertThat(flushes).containsExactly(
                new Flush(3, 0, "cr3_load", Flush.Origin.MODEL_GENERATED, false, 0, false, 1),
                new Flush(7, 0, "one", Flush.Origin.GUEST_REQUESTED, false, 0, false, 1),
                new Flush(10, 0, "one", Flush.Origin.GUEST_REQUESTED, true, 1, false, 1));
        assertThat(only(seen, MissedFlush.class)).isEmpty();
    }

    @Test
    void impliedFaultIsGuestWhenTablesDenyAndSpuriousWhenTheyAllow() {
        List<TraceEvent> e = tables();
        // User write to a not-present page: error code W|U = 6, P clear.
        e.add(new PageFault(0, -1, VA, PageFault.W | PageFault.U, 0));        // 4: guest fault
        e.add(new SetPteAt(0, -1, 0x100000, VA, PTE, 0x5000 | USER_RW));      // 5: the handler's fix
        e.add(new PageFault(0, -1, VA, PageFault.W | PageFault.U, 0));        // 6: tables allow it: spurious
        replay(AccessMode.IMPLIED, e);
        assertThat(only(seen, Fault.class)).containsExactly(
                new Fault(4, 0, Fault.Kind.GUEST, VA, 6),
                new Fault(6, 0, Fault.Kind.SPURIOUS, VA, 6));
        // Both retries succeeded (the first after the fix), so no remark about failed retries.
        assertThat(only(seen, Remark.class)).isEmpty();
    }

    @Test
    void impliedRetryWaitsForTheFixAndSetsDirty() {
        List<TraceEvent> e = tables();
        e.add(new PageFault(0, -1, VA, PageFault.W | PageFault.U, 0));       // 4
        e.add(new SetPteAt(0, -1, 0x100000, VA, PTE, 0x5000 | USER_RW));     // 5: entry update: retry waits
        e.add(new SetPte(0, -1, PTE, 0x5000 | USER_RO));                     // 6: still waiting; downgrade of an uncached entry
        e.add(FlushTlb.one(0, -1, VA));                                      // 7: retry happens before this
        List<Observation> obs = replay(AccessMode.IMPLIED, e);
        // The retry (a user write) ran against the RO entry of event 6 and faulted again.
        assertThat(only(obs, Remark.class)).singleElement()
                .satisfies(r -> assertThat(r.text()).contains("1 implied retries", "event 4"));
        // Nothing was cached, so the flush removed nothing: wasted.
        assertThat(only(obs, Flush.class)).last().satisfies(f -> assertThat(f.needed()).isFalse());
    }

    @Test
    void explicitClaimIsSpuriousOnlyWhenTheWalkAllowsIt() {
        List<TraceEvent> e = tables();
        e.add(new SetPteAt(0, -1, 0x100000, VA, PTE, 0x5000 | USER_RO));   // 4
        e.add(new PageFault(0, -1, VA, PageFault.P | PageFault.U, 0));      // 5: user read is allowed: spurious
        e.add(new PageFault(0, -1, VA, PageFault.P | PageFault.W | PageFault.U, 0)); // 6: write to RO: real
        e.add(new Access(0, -1, VA, Access.Kind.WRITE, true));              // 7: faults: P|W|U = 7
        replay(AccessMode.EXPLICIT, e);
        assertThat(only(seen, Fault.class)).containsExactly(
                new Fault(5, 0, Fault.Kind.SPURIOUS, VA, 5),
                new Fault(7, 0, Fault.Kind.GUEST, VA, 7));
    }

    @Test
    void walkIntoNeverWrittenSlotIsUnknownState() {
        List<TraceEvent> e = new ArrayList<>();
        e.add(new WriteCr3(0, -1, 0x100000, WriteCr3.Root.KERNEL));
        e.add(new Access(0, -1, VA, Access.Kind.READ, false));
        replay(AccessMode.EXPLICIT, e);
        // PML4[0] at 0x100000 was never written.
        assertThat(only(seen, UnknownStateWalk.class)).containsExactly(new UnknownStateWalk(1, 0, VA, 0x100000));
    }

    @Test
    void fullFlushOfOneStalePageIsOverBroadButACr3LoadNever() {
        List<TraceEvent> e = tables();
        e.add(new SetPteAt(0, -1, 0x100000, VA, PTE, 0x5000 | USER_RW));   // 4
        e.add(new Access(0, -1, VA, Access.Kind.READ, true));              // 5
        e.add(new SetPte(0, -1, PTE, 0x5000 | USER_RO));                  // 6: downgrade
        e.add(FlushTlb.user(0, -1));                                      // 7: one stale page: over-broad
        e.add(new Access(0, -1, VA, Access.Kind.READ, true));              // 8
        e.add(new SetPte(0, -1, PTE, 0));                                 // 9: downgrade
        e.add(new WriteCr3(0, -1, 0x100000, WriteCr3.Root.KERNEL));        // 10: needed, not over-broad
        replay(AccessMode.EXPLICIT, e);
        assertThat(only(seen, Flush.class)).containsExactly(
                new Flush(3, 0, "cr3_load", Flush.Origin.MODEL_GENERATED, false, 0, false, 1),
                new Flush(7, 0, "user", Flush.Origin.GUEST_REQUESTED, true, 1, true, 1),
                new Flush(10, 0, "cr3_load", Flush.Origin.MODEL_GENERATED, true, 1, false, 1));
    }

    @Test
    void multiFlushReachesItsTargetsAsOneFlush() {
        List<TraceEvent> e = tables();
        e.add(new SetPteAt(0, -1, 0x100000, VA, PTE, 0x5000 | USER_RW));   // 4
        e.add(new WriteCr3(1, -1, 0x100000, WriteCr3.Root.KERNEL));        // 5
        e.add(new Access(0, -1, VA, Access.Kind.READ, true));              // 6
        e.add(new Access(1, -1, VA, Access.Kind.READ, true));              // 7
        e.add(new SetPte(0, -1, PTE, 0));                                 // 8: stale on both vCPUs
        e.add(FlushTlb.one(0, -1, VA));                                   // 9: local: 1 stale
        // 10: multi to "every other vCPU" (cpus 0, count 1) for VA: vCPU 1's stale copy.
        e.add(new FlushTlb(0, -1, FlushTlb.Scope.MULTI, VA, TraceEvent.NO_ADDRESS, 0, 1, 0x100000));
        e.add(new Access(1, -1, VA, Access.Kind.READ, true));              // 11: walks, faults; no missed flush
        replay(AccessMode.EXPLICIT, e);
        assertThat(only(seen, Flush.class)).contains(
                new Flush(9, 0, "one", Flush.Origin.GUEST_REQUESTED, true, 1, false, 1),
                new Flush(10, 0, "multi", Flush.Origin.GUEST_REQUESTED, true, 1, false, 1));
        assertThat(only(seen, MissedFlush.class)).isEmpty();
        assertThat(only(seen, Fault.class)).containsExactly(new Fault(11, 1, Fault.Kind.GUEST, VA, 4));
    }

    /**
     * A user read of 0x40400000 after {@link #tables()}: PML4[0] (0x100000) and PDPT[1]
     * (0x101008) were written; its PD index is (0x40400000 >> 21) & 0x1ff = 2, so the walk reads
     * PD[2] at 0x102000 + 2 * 8 = 0x102010, which no event wrote. Either way the access faults
     * not-present from user mode (P = 0, U = 4: error code 4).
     */
    static List<TraceEvent> walkThroughNeverWrittenPdSlot() {
        List<TraceEvent> e = tables();
        e.add(new Access(0, -1, 0x40400000L, Access.Kind.READ, true));     // 4
        return e;
    }

    @Test
    void neverWrittenSlotIsNotPresentWhenMemoryStartsEmpty() {
        replay(AccessMode.EXPLICIT, InitialMemory.EMPTY, walkThroughNeverWrittenPdSlot());
        // the header says memory started zeroed: PD[2] is a known 0, a plain not-present fault
        assertThat(only(seen, UnknownStateWalk.class)).isEmpty();
        assertThat(only(seen, Fault.class)).containsExactly(new Fault(4, 0, Fault.Kind.GUEST, 0x40400000L, 4));
    }

    @Test
    void neverWrittenSlotIsUnknownWhenTheTraceMayStartMidRun() {
        replay(AccessMode.EXPLICIT, InitialMemory.UNKNOWN, walkThroughNeverWrittenPdSlot());
        // same trace, memory unknown: the walk stops at PD[2] (0x102010) and says so
        assertThat(only(seen, UnknownStateWalk.class))
                .containsExactly(new UnknownStateWalk(4, 0, 0x40400000L, 0x102010));
        assertThat(only(seen, Fault.class)).containsExactly(new Fault(4, 0, Fault.Kind.GUEST, 0x40400000L, 4));
    }

    @Test
    void aFreshPageTableIsZeroedNotUnknown() {
        List<TraceEvent> e = tables();
        e.add(new AllocPt(0, -1, 0x104, 1, false));                        // 4: a new PT page
        e.add(new SetPmd(0, -1, 0x102010, 0x104000 | TABLE));               // 5: PD[2]: 0x40400000
        e.add(new Access(0, -1, 0x40400000L, Access.Kind.READ, true));     // 6: PT[0] of the new page
        replay(AccessMode.EXPLICIT, e);
        // Linux allocates page tables zeroed: the walk finds a not-present PTE (error code U = 4),
        // not an unknown slot.
        assertThat(only(seen, UnknownStateWalk.class)).isEmpty();
        assertThat(only(seen, Fault.class)).containsExactly(new Fault(6, 0, Fault.Kind.GUEST, 0x40400000L, 4));
    }

    @Test
    void releasingATableWhileItsStaleEntryLivesIsAMissedFlush() {
        List<TraceEvent> e = tables();
        e.add(new SetPteAt(0, -1, 0x100000, VA, PTE, 0x5000 | USER_RW));  // 4
        e.add(new Access(1, -1, VA, Access.Kind.READ, true));              // 5: vCPU 1 has no cr3: unknown
        e.add(new WriteCr3(1, -1, 0x100000, WriteCr3.Root.KERNEL));        // 6
        e.add(new Access(1, -1, VA, Access.Kind.READ, true));              // 7: vCPU 1 caches VA
        e.add(new SetPmd(0, -1, 0x102008, 0));                             // 8: unlink the PT page
        e.add(FlushTlb.all(0, -1));                                        // 9: local only: vCPU 1 keeps it
        e.add(new ReleasePt(0, -1, 0x103, 1, false));                      // 10: freed with a stale entry alive
        replay(AccessMode.EXPLICIT, e);
        assertThat(only(seen, MissedFlush.class))
                .containsExactly(new MissedFlush(10, 1, VA, MissedFlush.Why.FRAME_FREED));
        assertThat(only(seen, UnknownStateWalk.class)).containsExactly(new UnknownStateWalk(5, 1, VA, -1));
    }
}
