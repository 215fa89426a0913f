package dev.mmutrace.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.replay.observe.Exit;
import dev.mmutrace.replay.observe.Fault;
import dev.mmutrace.replay.observe.Flush;
import dev.mmutrace.replay.observe.FullValidation;
import dev.mmutrace.replay.observe.Hypercall;
import dev.mmutrace.replay.observe.IgnoredEvent;
import dev.mmutrace.replay.observe.MissedFlush;
import dev.mmutrace.replay.observe.Multicall;
import dev.mmutrace.replay.observe.PgdirEviction;
import dev.mmutrace.replay.observe.PgdirSwitch;
import dev.mmutrace.replay.observe.PinChange;
import dev.mmutrace.replay.observe.PtwrEmulation;
import dev.mmutrace.replay.observe.Remark;
import dev.mmutrace.replay.observe.ShadowClearAll;
import dev.mmutrace.replay.observe.ShadowDiscard;
import dev.mmutrace.replay.observe.ShadowFill;
import dev.mmutrace.replay.observe.ShadowPage;
import dev.mmutrace.replay.observe.StackRepin;
import dev.mmutrace.replay.observe.TypeChange;
import dev.mmutrace.replay.observe.UnknownStateWalk;
import dev.mmutrace.replay.observe.ValidationFailure;
import dev.mmutrace.report.FlushCounts;
import dev.mmutrace.report.ModelReport;
import dev.mmutrace.report.SeriesBucket;
import dev.mmutrace.report.ShadowChurn;
import dev.mmutrace.report.XenWork;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelAnalyzerTest {

    /**
     * A Xen stream of 8 events: one plain update_va_mapping, a multicall batch of two calls (an
     * mmu_update carrying 3 entries and an update_va_mapping), a ptwr trap, a pin that validates
     * 512 entries and forces a type-change IPI to 2 CPUs, a refused update, a needed over-broad
     * guest flush with a missed flush, and an unpin.
     */
    private static ModelReport xenReport() {
        ModelAnalyzer a = new ModelAnalyzer("xen", 4, List.of(), CostTable.DEFAULTS, 0);
        a.observe(new Hypercall(0, 0, "update_va_mapping", 1, false));
        a.observe(new Hypercall(1, 0, "mmu_update", 3, true));
        a.observe(new Hypercall(1, 0, "update_va_mapping", 1, true));
        a.observe(new Multicall(1, 0, 2));
        a.observe(new PtwrEmulation(2, 0, 0x1234));
        a.observe(new Exit(2, 0, "ptwr"));
        a.observe(new PinChange(3, 0, 0x2000, 4, true));
        a.observe(new FullValidation(3, 0, 0x2000, 4, 512));
        a.observe(new TypeChange(3, 0, 0x2000, "writable", "l4"));
        a.observe(new Flush(3, 0, "type_change_ipi", Flush.Origin.MODEL_GENERATED, false, 0, false, 2));
        a.observe(new ValidationFailure(4, 1, "bad_l1_flags", "Bad L1 flags 80", false));
        a.observe(new Flush(5, 0, "user", Flush.Origin.GUEST_REQUESTED, true, 2, true, 1));
        a.observe(new MissedFlush(5, 1, 0x400000, MissedFlush.Why.USED_STALE));
        a.observe(new PinChange(6, 0, 0x2000, 4, false));
        return a.report(8, 8);
    }

    @Test
    void xenWorkCountsTrapsNotBatchedCalls() {
        ModelReport r = xenReport();
        // The plain update_va_mapping and the multicall batch are the two traps; the two calls
        // inside the batch are its entries; the mmu_update inside carried 3 entries.
        assertThat(r.xen()).contains(new XenWork(2, 1, 2, 3, 1, 1, 1, 1, 512, 1, 1));
        assertThat(r.shadow()).isEmpty();
        assertThat(r.hypercalls().total()).isEqualTo(2);
        // by name counts every call, batched or not: update_va_mapping twice, mmu_update once.
        assertThat(r.hypercalls().byName()).containsExactly(
                java.util.Map.entry("mmu_update", 1L), java.util.Map.entry("update_va_mapping", 2L));
        assertThat(r.eventsReplayed()).isEqualTo(8);
    }

    @Test
    void flushesAreSplitByKindAndOrigin() {
        ModelReport r = xenReport();
        // Two flushes: the type-change IPI removed nothing (wasted), the guest's user flush removed
        // 2 stale translations (needed) but one `one` would have done (over-broad).
        assertThat(r.flushes().total()).isEqualTo(2);
        assertThat(r.flushes().needed()).isEqualTo(1);
        assertThat(r.flushes().wasted()).isEqualTo(1);
        assertThat(r.flushes().overBroad()).isEqualTo(1);
        assertThat(r.flushes().missed()).isEqualTo(1);
        assertThat(r.flushes().staleRemoved()).isEqualTo(2);
        assertThat(r.flushes().byKind()).containsEntry("type_change_ipi", new FlushCounts(1, 0, 1, 0))
                .containsEntry("user", new FlushCounts(1, 1, 0, 1));
        assertThat(r.flushes().byOrigin()).containsEntry("model_generated", new FlushCounts(1, 0, 1, 0))
                .containsEntry("guest_requested", new FlushCounts(1, 1, 0, 1));
        assertThat(r.flushes().missedBy()).containsExactly(java.util.Map.entry("used_stale", 1L));
    }

    @Test
    void xenFailuresAreListedAndTheAnalyzerAddsNoRemark() {
        ModelReport r = xenReport();
        assertThat(r.validationFailures().total()).isEqualTo(1);
        assertThat(r.validationFailures().fatal()).isZero();
        assertThat(r.validationFailures().byReason()).containsExactly(java.util.Map.entry("bad_l1_flags", 1L));
        assertThat(r.validationFailures().first()).singleElement()
                .satisfies(f -> {
                    assertThat(f.event()).isEqualTo(4);
                    assertThat(f.cpu()).isEqualTo(1);
                    assertThat(f.reason()).isEqualTo("bad_l1_flags");
                    assertThat(f.message()).isEqualTo("Bad L1 flags 80");
                });
        // The remark that the 2.6.2x guest BUG_ONs is the model's to make (XenValidationTest); the
        // analyzer adds none of its own, whatever the model's name.
        assertThat(r.remarks()).isEmpty();
    }

    @Test
    void xenCostIsCountsTimesTheDefaultTable() {
        ModelReport r = xenReport();
        // hypercall 2 x 2000 = 4000; exit 1 x 2000 = 2000; ptwr 1 x 4000 = 4000;
        // validated entries 512 x 20 = 10240; no fault, no fill: walk 0 and fill 0;
        // IPIs: the type-change flush reached 2 CPUs, both interrupted by Xen = 2; the user flush
        // reached only its own vCPU = 0; 2 x 4000 = 8000; multicall entries 2 x 200 = 400.
        assertThat(r.cost().get("hypercall").cycles()).isEqualTo(4000);
        assertThat(r.cost().get("exit").cycles()).isEqualTo(2000);
        assertThat(r.cost().get("ptwr_emulation").cycles()).isEqualTo(4000);
        assertThat(r.cost().get("validated_entry").cycles()).isEqualTo(10240);
        assertThat(r.cost().get("walk_level").count()).isZero();
        assertThat(r.cost().get("ipi").count()).isEqualTo(2);
        assertThat(r.cost().get("multicall_entry").cycles()).isEqualTo(400);
        assertThat(r.estimatedCycles()).isEqualTo(4000 + 2000 + 4000 + 10240 + 8000 + 400);
    }

    /**
     * An lguest stream over a 2level trace of 10 events, killed at event 5: a pgdir miss with a
     * new shadow PTE page, a batch of two hypercalls, a hidden fault filled, a clear-all that discards 5 entries (3 still
     * valid), re-pins the 2-page stack and frees the page, an eviction whose victim comes back
     * (reflected fault), a refill identical to a discarded entry with a guest fault, then a kill.
     */
    private static ModelReport lguestReport(long interval) {
        TraceAnalyzerFixture f = new TraceAnalyzerFixture("lguest", interval);
        f.add(new PgdirSwitch(0, 0, 0x1000, false, false));
        f.add(new ShadowPage(0, 0, 1, true));
        f.add(new Exit(0, 0, "hypercall"));
        f.add(new Hypercall(0, 0, "LHCALL_NEW_PGTABLE", 1, false));
        f.add(new Remark(0, 0, "generalized", "lguest's 2-level shadow stretched to 4level"));
        // Two SET_PTE calls batched in lazy mode: one trap; batching alone is not Xen work.
        f.add(new Hypercall(0, 0, "LHCALL_SET_PTE", 1, true));
        f.add(new Hypercall(0, 0, "LHCALL_SET_PTE", 1, true));
        f.add(new Multicall(0, 0, 2));
        f.add(new Fault(1, 0, Fault.Kind.HIDDEN, 0x8000, 0));
        f.add(new Exit(1, 0, "hidden_fault"));
        f.add(new ShadowFill(1, 0, 0x8000, false));
        f.add(new ShadowDiscard(2, 0, 5, 3));
        f.add(new ShadowClearAll(2, 0));
        f.add(new StackRepin(2, 0, 2));
        f.add(new ShadowPage(2, 0, 1, false));
        f.add(new Flush(2, 0, "shadow_clear_all", Flush.Origin.MODEL_GENERATED, false, 0, false, 1));
        f.add(new PgdirEviction(3, 0, 0x1000));
        f.add(new PgdirSwitch(3, 0, 0x1000, false, true));
        f.add(new Fault(3, 0, Fault.Kind.REFLECTED, 0x9000, 2));
        f.add(new Exit(3, 0, "reflected_fault"));
        f.add(new Remark(3, 0, "generalized", "again"));
        f.add(new ShadowFill(4, 0, 0x8000, true));
        f.add(new Fault(4, 0, Fault.Kind.GUEST, 0x9000, 2));
        f.add(new IgnoredEvent(4, 0, "pin"));
        f.add(new UnknownStateWalk(4, 0, 0x9000, 0x5000));
        f.add(new ValidationFailure(5, 0, "bad_pte_flags", "bad page table entry", true));
        return f.report(10);
    }

    @Test
    void shadowChurnCountsEveryFillAndDiscard() {
        ModelReport r = lguestReport(0);
        assertThat(r.shadow()).contains(new ShadowChurn(2, 2, 1, 1, 1, 1, 2, 5, 3, 1, 1, 1, 5,
                "bad_pte_flags: bad page table entry"));
        assertThat(r.xen()).isEmpty();
        // The kill at event 5 stops the model: events 0..5 were replayed.
        assertThat(r.eventsReplayed()).isEqualTo(6);
        assertThat(r.validationFailures().fatal()).isEqualTo(1);
        assertThat(r.faults().guest()).isEqualTo(1);
        assertThat(r.faults().hidden()).isEqualTo(1);
        assertThat(r.faults().reflected()).isEqualTo(1);
        assertThat(r.faults().spurious()).isZero();
        assertThat(r.exits().total()).isEqualTo(3);
        assertThat(r.exits().byKind()).containsEntry("hypercall", 1L).containsEntry("hidden_fault", 1L)
                .containsEntry("reflected_fault", 1L);
        assertThat(r.unknownStateWalks()).isEqualTo(1);
        assertThat(r.ignoredEvents()).containsExactly(java.util.Map.entry("pin", 1L));
        // One remark per key, at its first event, with how often the model made it.
        assertThat(r.remarks()).singleElement().satisfies(m -> {
            assertThat(m.key()).isEqualTo("generalized");
            assertThat(m.event()).isZero();
            assertThat(m.count()).isEqualTo(2);
        });
    }

    @Test
    void lguestCostChargesWalksPerPagingLevel() {
        ModelReport r = lguestReport(0);
        // hypercall traps: NEW_PGTABLE + the batch = 2 x 2000; batched entries 2 x 200 = 400;
        // exits 3 x 2000 = 6000; fills 2 x 500 = 1000;
        // walks: guest 1 + hidden 1 + reflected 1 + fills 2 = 5, x 2 levels (2level) = 10 x 25 = 250;
        // the clear-all flush reached only its own vCPU: no IPI.
        assertThat(r.hypercalls().total()).isEqualTo(2);
        assertThat(r.cost().get("walk_level").count()).isEqualTo(10);
        assertThat(r.cost().get("ipi").count()).isZero();
        assertThat(r.estimatedCycles()).isEqualTo(4000 + 400 + 6000 + 1000 + 250);
    }

    @Test
    void seriesBucketsFollowTheEventIndex() {
        ModelReport r = lguestReport(4);
        // 10 events in buckets of 4: [0,4) [4,8) [8,10).
        assertThat(r.series().interval()).isEqualTo(4);
        assertThat(r.series().buckets()).containsExactly(
                // events 0..3: the clear-all flush (wasted), 3 exits, 2 hypercall traps, hidden +
                // reflected faults, 1 fill, 5 discarded entries, 2 pgdir misses
                new SeriesBucket(0, 1, 1, 0, 3, 2, 2, 0, 1, 5, 2, 0),
                // events 4..7: the guest fault, the refill, the kill, the unknown-state walk
                new SeriesBucket(4, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1),
                new SeriesBucket(8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void autoIntervalDoublesUntilTheTraceFitsTheChart() {
        TraceAnalyzerFixture f = new TraceAnalyzerFixture("native", 0);
        f.add(new Exit(0, 0, "hypercall"));
        f.add(new Exit(299, 0, "hypercall"));
        ModelReport r = f.report(300);
        // 300 events need 300, 150, then 75 buckets at intervals 1, 2, 4: 4 is the first that
        // fits in 128 buckets. Event 299 lands in bucket 299 / 4 = 74, the last of 75.
        assertThat(r.series().interval()).isEqualTo(4);
        assertThat(r.series().buckets()).hasSize(75);
        assertThat(r.series().buckets().get(0).exits()).isEqualTo(1);
        assertThat(r.series().buckets().get(74).exits()).isEqualTo(1);
        assertThat(r.series().buckets().get(74).firstEvent()).isEqualTo(296);
    }

    @Test
    void aModelThatObservedNothingStillHasAReport() {
        TraceAnalyzerFixture f = new TraceAnalyzerFixture("native", 0);
        ModelReport r = f.report(3);
        assertThat(r.eventsReplayed()).isEqualTo(3);
        assertThat(r.flushes().total()).isZero();
        assertThat(r.estimatedCycles()).isZero();
        assertThat(r.series().buckets()).hasSize(3);
    }
}
