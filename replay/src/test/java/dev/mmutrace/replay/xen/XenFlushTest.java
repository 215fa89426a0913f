package dev.mmutrace.replay.xen;

import static dev.mmutrace.replay.xen.XenTrace.NONE;
import static dev.mmutrace.replay.xen.XenTrace.PRW;
import static dev.mmutrace.replay.xen.XenTrace.only;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.replay.observe.Fault;
import dev.mmutrace.replay.observe.Flush;
import dev.mmutrace.replay.observe.MissedFlush;
import dev.mmutrace.replay.observe.Observation;
import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.AccessMode;
import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.TraceHeader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Flushes under Xen: classified against the hardware TLBs, and the ones Xen forces itself. */
class XenFlushTest {

    private static XenTrace explicit(int vcpus) {
        return new XenTrace(TraceHeader.defaults(PagingMode.FOUR_LEVEL, vcpus, 64).withAccessMode(AccessMode.EXPLICIT));
    }

    @Test
    void guestInvlpgAfterAPtwrDowngradeIsNeededAndASecondOneWasted() {
        // vCPU 0 reads 0x400000 (the TLB caches it), then clears its PTE in the pinned L1: ptwr
        // applies it, so the cached translation is stale. The first INVLPG removes it (needed);
        // the second finds nothing (wasted).
        XenTrace t = explicit(1).tree(0, 1).pin(0, 1).cr3(0, 1)
                .add(new Access(0, NONE, 0x400000L, Access.Kind.READ, true))
                .setPte(0, 4, 0, 0);
        long first = t.next();
        t.add(FlushTlb.one(0, NONE, 0x400000L));
        long second = t.next();
        List<Observation> obs = t.add(FlushTlb.one(0, NONE, 0x400000L)).replay();

        assertThat(only(obs, Fault.class)).isEmpty();
        assertThat(only(obs, Flush.class, f -> f.event() == first)).containsExactly(
                new Flush(first, 0, "one", Flush.Origin.GUEST_REQUESTED, true, 1, false, 1));
        assertThat(only(obs, Flush.class, f -> f.event() == second)).containsExactly(
                new Flush(second, 0, "one", Flush.Origin.GUEST_REQUESTED, false, 0, false, 1));
    }

    @Test
    void aRefusedUpdateMakesNothingStale() {
        // The same clear, but the access is followed by a refused store (PCD in an L1 without I/O
        // rights): the hardware entry never changed, so the later access is no missed flush and
        // the INVLPG removes nothing stale.
        XenTrace t = explicit(1).tree(0, 1).pin(0, 1).cr3(0, 1)
                .add(new Access(0, NONE, 0x400000L, Access.Kind.READ, true))
                .setPte(0, 4, 0, (11L << 12) | 0x5 | 0x10)
                .add(new Access(0, NONE, 0x400000L, Access.Kind.READ, true));
        long flush = t.next();
        List<Observation> obs = t.add(FlushTlb.one(0, NONE, 0x400000L)).replay();
        assertThat(only(obs, Fault.class)).isEmpty();
        assertThat(only(obs, MissedFlush.class)).isEmpty();
        assertThat(only(obs, Flush.class, f -> f.event() == flush)).singleElement()
                .satisfies(f -> assertThat(f.needed()).isFalse());
    }

    @Test
    void typeChangeIpiGoesOnlyToCpusThatHaveNotFlushedSinceThePageWasLastWritable() {
        // After the pin, alloc_pt makes pfn 40 RO: its writable count drops to 0 and it is stamped
        // with the TLB clock. vCPU 1 then flushes its TLB (TLB_FLUSH_LOCAL ticks the clock and
        // records vCPU 1's flush time); vCPU 0 does not. Hooking pfn 40 into the pinned pud makes
        // it an l2: a type change, and tlbflush_filter leaves only vCPU 0, which may still cache a
        // writable mapping of it: one IPI flush to one CPU.
        XenTrace t = XenTrace.fourLevel(2).tree(0, 1).pin(0, 1)
                .allocPt(0, 40, 2, true)
                .add(FlushTlb.user(1, NONE));
        long hook = t.next();
        List<Observation> obs = t.setPud(0, 2, 1, (40L << 12) | PRW).replay();

        assertThat(only(obs, Flush.class, f -> f.event() == hook)).extracting(Flush::kind, Flush::origin,
                Flush::targets).containsExactly(org.assertj.core.groups.Tuple.tuple("type_change_ipi",
                        Flush.Origin.MODEL_GENERATED, 1));
    }

    @Test
    void pinFlushesTheTopPageMappingAndLoadsFlushOnce() {
        XenTrace t = XenTrace.fourLevel(1).tree(0, 1);
        long pin = t.next();
        t.pin(0, 1);
        long load = t.next();
        List<Observation> obs = t.cr3(0, 1).replay();
        // pin: the pgd's update_va_mapping carries UVMF_TLB_FLUSH (a local full flush), and the
        // first PIN_L1's writable -> l1 change finds vCPU 0 not flushed since the pte page was
        // made RO: one type-change IPI to itself, before the pgd's flush.
        assertThat(only(obs, Flush.class, f -> f.event() == pin)).extracting(Flush::kind)
                .containsExactly("type_change_ipi", "uvmf_tlb_flush");
        // NEW_BASEPTR flushes the local TLB.
        assertThat(only(obs, Flush.class, f -> f.event() == load)).extracting(Flush::kind, Flush::targets)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("new_baseptr", 1));
    }

    /**
     * One vCPU on the pinned 4level tree of {@link XenTrace#tree}, pgd pfn 1: it reads 0x400000
     * (the TLB caches it, through PTE page pfn 4, to data pfn 10), then {@code downgrade} changes
     * a table without a flush.
     */
    private static XenTrace readThen(java.util.function.UnaryOperator<XenTrace> downgrade) {
        return downgrade.apply(explicit(1).tree(0, 1).pin(0, 1).cr3(0, 1)
                .add(new Access(0, NONE, 0x400000L, Access.Kind.READ, true)));
    }

    @Test
    void aStaleMappingOfAFrameXenRetypesIsFlushedByTheTypeChangeNotMissed() {
        // Worked from xen.md §2.4 (__get_page_type: "On type change we check to flush stale TLB
        // entries") and §3.1 (the filter), with the seed's xen_alloc_ptpage order (make the page
        // RO, then PIN_L1_TABLE). vCPU 0 reads 0x400000 (TLB: 0x400000 -> pfn 10), then clears
        // the PTE through ptwr without a flush: that translation is stale. alloc_pt(pfn 10, L1,
        // pinned mm): the RO update drops pfn 10's last writable reference (type count 0, stamped
        // with the clock now); PIN_L1_TABLE changes its type writable -> l1, and vCPU 0 (dirty, its
        // last full flush no later than the stamp) gets the filter flush, which removes the stale
        // translation: one type_change_ipi, needed, 1 stale removed, and over-broad (a full flush
        // whose one stale translation one INVLPG would have removed, docs/mmu.md). Nothing survives
        // to be a missed flush. (Bare metal has no such flush: the native model reports it.)
        XenTrace t = readThen(t0 -> t0.setPte(0, 4, 0, 0));
        long alloc = t.next();
        List<Observation> obs = t.allocPt(0, 10, 1, true).replay();

        assertThat(only(obs, MissedFlush.class)).isEmpty();
        assertThat(only(obs, Flush.class, f -> f.event() == alloc)).containsExactly(
                new Flush(alloc, 0, "type_change_ipi", Flush.Origin.MODEL_GENERATED, true, 1, true, 1));
    }

    @Test
    void aStaleWalkThroughATableXenMakesWritableIsFlushedByTheTypeChangeNotMissed() {
        // vCPU 0 reads 0x400000 through PTE page pfn 4, then the pinned pmd's slot 2 is cleared
        // (mmu_update, no flush): the cached walk read that slot, so it is stale. release_pt(pfn 4):
        // UNPIN_TABLE drops its last l1 reference (count 0, devalidated, stamped); the RW update of
        // its direct-map address takes type writable, a type change (l1 -> writable) whose filter
        // flush reaches vCPU 0 and removes the stale walk (xen.md §3.1: "L1 -> writable when a freed
        // page table is mapped RW again"). So: one needed (and, one vaddr, over-broad)
        // type_change_ipi, no frame_freed.
        XenTrace t = readThen(t0 -> t0.setPmd(0, 3, 2, 0));
        long release = t.next();
        List<Observation> obs = t.releasePt(0, 4, 1, true).replay();

        assertThat(only(obs, MissedFlush.class)).isEmpty();
        assertThat(only(obs, Flush.class, f -> f.event() == release)).containsExactly(
                new Flush(release, 0, "type_change_ipi", Flush.Origin.MODEL_GENERATED, true, 1, true, 1));
    }

    @Test
    void aStaleMappingSurvivesAnAllocPtWithNoTypeChangeAndIsMissed() {
        // The same stale translation, but the mm is not pinned: xen_alloc_ptpage does nothing, no
        // type change, no flush, so the frame becomes a page table with it alive: frame_retyped.
        XenTrace t = readThen(t0 -> t0.setPte(0, 4, 0, 0));
        long alloc = t.next();
        List<Observation> obs = t.allocPt(0, 10, 1, false).replay();

        assertThat(only(obs, MissedFlush.class)).containsExactly(
                new MissedFlush(alloc, 0, 0x400000L, MissedFlush.Why.FRAME_RETYPED));
        assertThat(only(obs, Flush.class, f -> f.event() == alloc)).isEmpty();
    }
}
