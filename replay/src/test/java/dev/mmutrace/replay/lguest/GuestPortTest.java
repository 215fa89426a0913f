package dev.mmutrace.replay.lguest;

import static dev.mmutrace.replay.lguest.LguestTrace.PAGE_TABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.google.common.collect.ImmutableMap;
import dev.mmutrace.replay.observe.Exit;
import dev.mmutrace.replay.observe.Fault;
import dev.mmutrace.replay.observe.Flush;
import dev.mmutrace.replay.observe.Hypercall;
import dev.mmutrace.replay.observe.IgnoredEvent;
import dev.mmutrace.replay.observe.Multicall;
import dev.mmutrace.replay.observe.PgdirEviction;
import dev.mmutrace.replay.observe.PgdirSwitch;
import dev.mmutrace.replay.observe.ShadowClearAll;
import dev.mmutrace.replay.observe.ShadowDiscard;
import dev.mmutrace.replay.observe.ShadowFill;
import dev.mmutrace.trace.AccessMode;
import dev.mmutrace.trace.AllocPt;
import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.LazyMmu;
import dev.mmutrace.trace.PageFault;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.Pin;
import dev.mmutrace.trace.PtepModifyProt;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.WriteCr3;
import org.junit.jupiter.api.Test;

/** The guest port of lguest's boot.c (SPEC §8): which hypercall each event becomes, and batching. */
class GuestPortTest {
    static final long CR3 = 0x1000;
    static final long V = 0x40_0000;

    @Test
    void eventsBecomeTheirHypercalls() {
        LguestTrace t = LguestTrace.twoLevel()
                .cr3(CR3)
                .pmd(CR3 + 4, 0x2000 | PAGE_TABLE)
                .pmd(CR3 + 0xc00, 0x3_0000 | LguestTrace.KERNPG_TABLE)
                .pteAt(CR3, V, 0x2000, 0x10_0067)
                .pteAt(CR3, 0xc000_1000L, 0x3_0004, 0x20_1063) // the stack page
                .pte(0x2004, 0x10_1067)
                .add(FlushTlb.user(0, LguestTrace.NO))
                .add(FlushTlb.all(0, LguestTrace.NO))
                .flushOne(V)
                .stack(0xc000_2000L, 1);
        long pin = t.next();
        t.add(new Pin(0, LguestTrace.NO, CR3, 2)).add(new AllocPt(0, LguestTrace.NO, 2, 1, false));
        LguestTrace.Result r = t.run();

        assertThat(r.all(Hypercall.class)).extracting(Hypercall::name).containsExactly(
                "LHCALL_NEW_PGTABLE", "LHCALL_SET_PMD", "LHCALL_SET_PMD", "LHCALL_SET_PTE", "LHCALL_SET_PTE",
                "LHCALL_FLUSH_TLB",
                "LHCALL_FLUSH_TLB", "LHCALL_FLUSH_TLB", "LHCALL_SET_PTE", "LHCALL_SET_STACK");
        assertThat(r.all(Hypercall.class)).noneMatch(Hypercall::inMulticall);
        // Guest flushes are reported as guest-requested shadow throw-aways of their kind.
        assertThat(r.all(Flush.class, f -> f.origin() == Flush.Origin.GUEST_REQUESTED))
                .extracting(Flush::kind)
                .containsExactly("shadow_flush_user", "shadow_clear_all", "shadow_set_pte");
        // pin and alloc_pt are nothing to lguest: counted as ignored, no exit.
        assertThat(r.all(IgnoredEvent.class, i -> i.event() >= pin)).extracting(IgnoredEvent::what)
                .containsExactly("pin", "alloc_pt");
        assertThat(r.count(Exit.class, e -> e.event() >= pin)).isZero();
    }

    @Test
    void hypercallsInsideLazyMmuCostOneExitPerBatch() {
        LguestTrace t = LguestTrace.twoLevel().cr3(CR3).lazy(LazyMmu.Phase.ENTER)
                .pteAt(CR3, V, 0x2000, 0x10_0067)
                .pteAt(CR3, V + 0x1000, 0x2004, 0x10_1067)
                .flushOne(V);
        long leave = t.next();
        t.lazy(LazyMmu.Phase.LEAVE);
        long empty = t.next();
        t.lazy(LazyMmu.Phase.ENTER).lazy(LazyMmu.Phase.LEAVE);
        LguestTrace.Result r = t.run();

        // write_cr3 outside: 1 exit. Three queued calls, sent by the leave's LHCALL_FLUSH_ASYNC:
        // 1 exit. lguest_leave_lazy_mode makes that hypercall even for an empty batch: 1 exit.
        assertThat(r.count(Hypercall.class, Hypercall::inMulticall)).isEqualTo(3);
        assertThat(r.all(Multicall.class)).extracting(Multicall::event, Multicall::entries)
                .containsExactly(tuple(leave, 3),
                        tuple(empty + 1, 0));
        assertThat(r.exits("hypercall")).isEqualTo(3);
    }

    @Test
    void impliedPageFaultIsTakenByTheHostFirstAndItsRetryGoesThroughTheShadow() {
        TraceHeader h = TraceHeader.defaults(PagingMode.TWO_LEVEL, 1, 0x1000).withAccessMode(AccessMode.IMPLIED);
        int userWrite = PageFault.W | PageFault.U;
        LguestTrace t = LguestTrace.of(h).cr3(CR3).pmd(CR3 + 4, 0x2000 | PAGE_TABLE)
                .pteAt(CR3, V, 0x2000, 0)
                .pteAt(CR3, V + 0x1000, 0x2004, 0);
        long withA = t.next();
        // The guest has no mapping: the host finds nothing to fill and reflects the fault. The
        // handler maps the page with A and D (as Linux's user protections do): do_set_pte
        // installs it at once, so the retry (before the next non-update event) hits the shadow.
        t.add(new PageFault(0, LguestTrace.NO, V, userWrite, 0)).pteAt(CR3, V, 0x2000, 0x10_0067);
        long withoutA = t.next();
        // Same, but the handler maps without A or D: the shadow entry stays empty and the retry
        // is a hidden fault, reported at the page fault's index.
        t.add(new PageFault(0, LguestTrace.NO, V + 0x1000, userWrite, 0)).pteAt(CR3, V + 0x1000, 0x2004, 0x10_1007);
        long mapped = t.next();
        // A fault the shadow would not raise: under lguest it does not happen.
        t.add(new PageFault(0, LguestTrace.NO, V, userWrite, 0));
        LguestTrace.Result r = t.run();

        assertThat(r.all(Fault.class, f -> f.event() == withA)).extracting(Fault::kind)
                .containsExactly(Fault.Kind.REFLECTED);
        assertThat(r.all(Fault.class, f -> f.event() == withoutA)).extracting(Fault::kind)
                .containsExactly(Fault.Kind.REFLECTED, Fault.Kind.HIDDEN);
        assertThat(r.all(Fault.class, f -> f.event() == mapped)).isEmpty();
        assertThat(r.all(IgnoredEvent.class, i -> i.event() == mapped)).hasSize(1);
        assertThat(r.exits("reflected_fault")).isEqualTo(2);
        assertThat(r.exits("hidden_fault")).isEqualTo(1);
    }

    @Test
    void ptepModifyProtKeepsTheHardwareAccessedBitSoTheEntryIsInstalledAtOnce() {
        LguestTrace t = LguestTrace.twoLevel().cr3(CR3).pmd(CR3 + 4, 0x2000 | PAGE_TABLE)
                .pteAt(CR3, V, 0x2000, 0x10_0007)
                .read(V); // hidden fault: demand_page writes A back, guest PTE 0x100027
        long modify = t.next();
        // mprotect to read-only: the value carries no A, but the entry keeps the A it has.
        t.add(new PtepModifyProt(0, LguestTrace.NO, CR3, V, 0x2000, 0x10_0005));
        long read = t.next();
        t.read(V);
        LguestTrace.Result r = t.run();

        // LHCALL_SET_PTE with 0x100005 | A = 0x100025: A set, so do_set_pte installs it at once.
        // The old shadow entry (0x100025, write-protected by the read) still matches: wasted.
        assertThat(r.all(Hypercall.class, h -> h.event() == modify)).extracting(Hypercall::name)
                .containsExactly("LHCALL_SET_PTE");
        assertThat(r.count(ShadowFill.class, f -> f.event() == modify)).isEqualTo(1);
        assertThat(r.all(ShadowDiscard.class, d -> d.event() == modify))
                .singleElement().satisfies(d -> assertThat(d.stillValid()).isEqualTo(1));
        assertThat(r.at(read)).isEmpty();
        assertThat(r.memory().read(0x2000)).isEqualTo(0x10_0025);
    }

    @Test
    void aVcpuWhoseSlotAnotherVcpuTookFindsItsCr3Again() {
        TraceHeader h = TraceHeader.defaults(PagingMode.TWO_LEVEL, 2, 0x1000).withAccessMode(AccessMode.EXPLICIT);
        LguestTrace t = LguestTrace.of(h).settings(ImmutableMap.of(LguestFactory.PGDIRS, "1"))
                .cr3(CR3)
                .add(new WriteCr3(1, LguestTrace.NO, 0x5000, WriteCr3.Root.KERNEL));
        long access = t.next();
        t.read(V);
        LguestTrace.Result r = t.run();

        // One slot: vCPU 1's cr3 0x5000 evicts vCPU 0's 0x1000. vCPU 0's next access first takes
        // the slot back for 0x1000 (a miss of a cr3 evicted before, evicting 0x5000).
        assertThat(r.all(PgdirSwitch.class, s -> s.event() == access))
                .singleElement().satisfies(s -> {
                    assertThat(s.cr3()).isEqualTo(CR3);
                    assertThat(s.hit()).isFalse();
                    assertThat(s.evictedBefore()).isTrue();
                });
        assertThat(r.all(PgdirEviction.class))
                .extracting(PgdirEviction::evictedCr3).containsExactly(CR3, 0x5000L);
    }

    @Test
    void badSettingsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> LguestTrace.twoLevel()
                        .settings(ImmutableMap.of(LguestFactory.PGDIRS, "0")).run())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lguest.pgdirs");
        assertThatThrownBy(() -> LguestTrace.twoLevel()
                        .settings(ImmutableMap.of(LguestFactory.EVICTION, "fifo")).run())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lguest.eviction");
    }

    @Test
    void aTraceTakenMidRunCanSayTheGuestHasSwitchedCr3Already() {
        // Without the setting the set_pte is a boot-time plain store; with it, lguest's guest
        // already has cr3_changed and makes LHCALL_FLUSH_TLB(1): one exit, one clear-all.
        LguestTrace boot = LguestTrace.twoLevel().pte(0x2000, 0x10_0067);
        assertThat(boot.run().exits("hypercall")).isZero();
        LguestTrace.Result midRun = LguestTrace.twoLevel()
                .settings(ImmutableMap.of(LguestFactory.CR3_CHANGED, "true")).pte(0x2000, 0x10_0067).run();
        assertThat(midRun.all(Hypercall.class)).extracting(Hypercall::name).containsExactly("LHCALL_FLUSH_TLB");
        assertThat(midRun.exits("hypercall")).isEqualTo(1);
        assertThat(midRun.all(ShadowClearAll.class)).hasSize(1);
    }
}
