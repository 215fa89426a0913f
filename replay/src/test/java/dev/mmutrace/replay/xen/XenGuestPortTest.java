package dev.mmutrace.replay.xen;

import static dev.mmutrace.replay.xen.XenTrace.PRW;
import static dev.mmutrace.replay.xen.XenTrace.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.mmutrace.replay.observe.FullValidation;
import dev.mmutrace.replay.observe.Hypercall;
import dev.mmutrace.replay.observe.Multicall;
import dev.mmutrace.replay.observe.Observation;
import dev.mmutrace.replay.observe.PinChange;
import dev.mmutrace.replay.observe.PtwrEmulation;
import dev.mmutrace.replay.observe.ValidationFailure;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the 2.6.2x guest port makes of trace events, and what that costs on Xen 3.4. */
class XenGuestPortTest {

    /** Entries scanned by the full validations caused by event {@code event}. */
    private static int scannedBy(List<Observation> obs, long event) {
        return only(obs, FullValidation.class, v -> v.event() == event).stream()
                .mapToInt(FullValidation::entriesScanned).sum();
    }

    @Test
    void loadingAnUnpinnedTreeValidatesItOnEveryLoadAndAPinnedOneNever() {
        // Tree A: pgd 1 -> pud 2 -> pmd 3 (no PTE pages), tree B: an empty pgd 20. alloc_pt of a
        // pinned mm makes each page RO (no PIN for upper levels), so both trees are RO but unpinned.
        XenTrace t = XenTrace.fourLevel(1)
                .allocPt(0, 1, 4, true).allocPt(0, 2, 3, true).allocPt(0, 3, 2, true).allocPt(0, 20, 4, true)
                .setPgd(0, 1, 0, (2L << 12) | PRW)
                .setPud(0, 2, 0, (3L << 12) | PRW);
        long a1 = t.next();
        t.cr3(0, 1);
        long b1 = t.next();
        t.cr3(0, 20);
        long a2 = t.next();
        t.cr3(0, 1);
        long b2 = t.next();
        t.cr3(0, 20);
        long pin = t.next();
        t.pin(0, 1);
        long a3 = t.next();
        t.cr3(0, 1);
        long b3 = t.next();
        t.cr3(0, 20);
        long a4 = t.next();
        t.cr3(0, 1);
        List<Observation> obs = t.replay();

        // NEW_BASEPTR on A at type count 0: L4 (496 guest slots) + L3 (512) + L2 (512) = 1520.
        // Loading B drops A's only reference: A is devalidated, and the next load pays again.
        // B is an empty L4: 496 each time it is loaded unpinned.
        assertThat(scannedBy(obs, a1)).isEqualTo(1520);
        assertThat(scannedBy(obs, b1)).isEqualTo(496);
        assertThat(scannedBy(obs, a2)).isEqualTo(1520);
        assertThat(scannedBy(obs, b2)).isEqualTo(496);
        // The pin validates A once more (it is not loaded at that moment) ...
        assertThat(scannedBy(obs, pin)).isEqualTo(1520);
        // ... and from then on loading A validates nothing: the pin holds its type.
        assertThat(scannedBy(obs, a3)).isZero();
        assertThat(scannedBy(obs, a4)).isZero();
        assertThat(scannedBy(obs, b3)).isEqualTo(496);
        assertThat(only(obs, ValidationFailure.class)).isEmpty();
    }

    @Test
    void setPteIntoAPinnedL1IsOnePtwrEmulation() {
        XenTrace t = XenTrace.fourLevel(1).tree(0, 1).pin(0, 1);
        long store = t.next();
        List<Observation> obs = t.setPte(0, 4, 1, (11L << 12) | PRW).replay();

        // The pte page is mapped RO and is a validated L1: one trap, emulated, no hypercall (the
        // trap is the PtwrEmulation itself, not an Exit as well).
        assertThat(obs).filteredOn(o -> o.event() == store)
                .containsExactly(new PtwrEmulation(store, 0, t.mfn(4)));
    }

    @Test
    void setPteAtOnTheCurrentMmInLazyModeIsOneMulticall() {
        XenTrace t = XenTrace.fourLevel(1).tree(0, 1).pin(0, 1).cr3(0, 1).lazy(0, true);
        long first = t.next();
        int n = 5;
        for (int k = 0; k < n; k++) {
            t.setPteAt(0, 1, 0x400000L + k * 4096L, 4, k, ((20L + k) << 12) | PRW);
        }
        long leave = t.next();
        List<Observation> obs = t.lazy(0, false).replay();

        // Nothing reaches Xen while the batch is open ...
        assertThat(obs).filteredOn(o -> o.event() >= first && o.event() < leave && !(o instanceof Hypercall))
                .isEmpty();
        // ... then one multicall with N update_va_mapping entries, each tied to its event.
        assertThat(obs).filteredOn(o -> o.event() == leave).containsExactly(new Multicall(leave, 0, n));
        assertThat(only(obs, Hypercall.class, h -> h.event() >= first && h.event() < leave))
                .extracting(Hypercall::name, Hypercall::inMulticall)
                .containsOnly(tuple("update_va_mapping", true)).hasSize(n);
        assertThat(only(obs, ValidationFailure.class)).isEmpty();
    }

    @Test
    void setPteAtOutsideLazyModeIsOneDirectHypercall() {
        XenTrace t = XenTrace.fourLevel(1).tree(0, 1).pin(0, 1).cr3(0, 1);
        long set = t.next();
        List<Observation> obs = t.setPteAt(0, 1, 0x401000L, 4, 1, (21L << 12) | PRW).replay();
        assertThat(obs).filteredOn(o -> o.event() == set).containsExactly(
                new Hypercall(set, 0, "update_va_mapping", 1, false));
    }

    @Test
    void unpinWhileAnotherVcpuStillHasTheTableAsCr3() {
        // vCPU 1 still runs on pgd 1 when vCPU 0 unpins it (no drop_mm_ref first).
        XenTrace t = XenTrace.fourLevel(2).tree(0, 1).pin(0, 1).cr3(1, 1);
        long unpin = t.next();
        List<Observation> obs = t.unpin(0, 1).replay();

        // UNPIN_TABLE of the L4 succeeds (Xen does not check cr3), as does UNPIN of the L1: both
        // keep a reference (vCPU 1's cr3; the pmd's entry). Every make-RW update_va_mapping then
        // needs a writable type on a page that still is a page table: pud, pmd, pte, pgd refused.
        assertThat(only(obs, PinChange.class, p -> p.event() == unpin))
                .extracting(PinChange::level, PinChange::pinned)
                .containsExactly(tuple(4, false), tuple(1, false));
        assertThat(only(obs, ValidationFailure.class)).extracting(ValidationFailure::event, ValidationFailure::reason)
                .containsExactly(tuple(unpin, "writable_pt_mapping"), tuple(unpin, "writable_pt_mapping"),
                        tuple(unpin, "writable_pt_mapping"), tuple(unpin, "writable_pt_mapping"));
        assertThat(only(obs, ValidationFailure.class).get(0).message())
                .contains(String.format("Bad type (saw l3 != exp writable) for mfn %x", t.mfn(2)));
    }

    @Test
    void unpinAfterTheOtherVcpuSwitchedAwaySucceeds() {
        // As above, but vCPU 1 first loads another (pinned, empty) pgd 20, as drop_mm_ref makes it do.
        XenTrace t = XenTrace.fourLevel(2).tree(0, 1).pin(0, 1).cr3(1, 1)
                .setPgd(0, 20, 0, 0).pin(0, 20).cr3(1, 20);
        long unpin = t.next();
        List<Observation> obs = t.unpin(0, 1).replay();

        // The L4 unpin drops the last reference of pgd 1: the tree is devalidated down to the
        // pinned L1, whose own unpin then drops it to 0; every make-RW succeeds.
        assertThat(only(obs, PinChange.class, p -> p.event() == unpin)).hasSize(2);
        assertThat(only(obs, ValidationFailure.class)).isEmpty();
    }

    @Test
    void setPmdOnAPinnedPageIsAnMmuUpdateAndOnAnUnpinnedPageAPlainStore() {
        XenTrace t = XenTrace.fourLevel(1).tree(0, 1);
        long plain = t.next();
        t.setPmd(0, 3, 3, (5L << 12) | PRW);
        t.pin(0, 1);
        long pinned = t.next();
        List<Observation> obs = t.setPmd(0, 3, 3, 0).replay();

        assertThat(obs).filteredOn(o -> o.event() == plain).isEmpty();
        assertThat(only(obs, Hypercall.class, h -> h.event() == pinned)).extracting(Hypercall::name, Hypercall::entries)
                .containsExactly(tuple("mmu_update", 1));
        assertThat(only(obs, ValidationFailure.class)).isEmpty();
    }

    @Test
    void aPinWalkLongerThanOneBufferIsSentAsSeveralMulticalls() {
        // pmd pfn 3 points to 20 PTE pages (pfn 30..49). The pin batch is: pud, pmd (2 RO
        // updates), 20 x (RO update + PIN_L1_TABLE), the pgd's RO update, PIN_L4_TABLE = 44
        // entries. multicalls.c holds 32 entries (the 15 PIN_L1s in them use 360 of its 512
        // argument bytes), so the 33rd entry issues the first 32 and the rest go as 12.
        XenTrace t = XenTrace.fourLevel(1)
                .setPgd(0, 1, 0, (2L << 12) | PRW)
                .setPud(0, 2, 0, (3L << 12) | PRW);
        for (int k = 0; k < 20; k++) {
            t.setPmd(0, 3, k, ((30L + k) << 12) | PRW);
        }
        long pin = t.next();
        List<Observation> obs = t.pin(0, 1).replay();
        assertThat(only(obs, Multicall.class, m -> m.event() == pin)).extracting(Multicall::entries)
                .containsExactly(32, 12);
        assertThat(only(obs, ValidationFailure.class)).isEmpty();
    }

    @Test
    void batchedSetPmdsOnPinnedPagesShareOneMmuUpdateEntry() {
        // In lazy mode xen_extend_mmu_update adds each update to the previous mmu_update entry:
        // three set_pmd are one multicall entry carrying three updates.
        XenTrace t = XenTrace.fourLevel(1).tree(0, 1).pin(0, 1).lazy(0, true)
                .setPmd(0, 3, 5, 0).setPmd(0, 3, 6, 0).setPmd(0, 3, 7, 0);
        long leave = t.next();
        List<Observation> obs = t.lazy(0, false).replay();
        assertThat(only(obs, Multicall.class, m -> m.event() == leave)).extracting(Multicall::entries)
                .containsExactly(1);
        assertThat(only(obs, Hypercall.class, h -> h.name().equals("mmu_update")))
                .extracting(Hypercall::entries, Hypercall::inMulticall).containsExactly(tuple(3, true));
    }

    @Test
    void paeSetPteIntoAPinnedL1IsTwoEmulatedHalfStores() {
        // PAE: pgd pfn 1 (slot 0) -> pmd pfn 2 (slot 2) -> pte pfn 3. xen_set_pte stores the high
        // word, then the low word: two traps into the read-only L1, each emulated and checked.
        XenTrace t = new XenTrace(dev.mmutrace.trace.PagingMode.PAE, 1, 64)
                .add(new dev.mmutrace.trace.SetPud(0, XenTrace.NONE, 0x1000, (2L << 12) | 0x1))
                .setPmd(0, 2, 2, (3L << 12) | PRW)
                .pin(0, 1);
        long store = t.next();
        List<Observation> obs = t.setPte(0, 3, 1, (11L << 12) | PRW).replay();
        assertThat(only(obs, PtwrEmulation.class, p -> p.event() == store)).hasSize(2);
        assertThat(only(obs, ValidationFailure.class)).isEmpty();
    }

    @Test
    void loadingAnUnpinnedInitMmPinsItFirst() {
        // init_mm is pgd pfn 1. The trace builds it and loads it without a pin event; the Xen
        // guest had pinned it at boot (xen_pagetable_setup_done), so the port pins it before
        // the load: a Remark, the pin (L1 and L4), and no refusal.
        XenTrace t = new XenTrace(dev.mmutrace.trace.TraceHeader.defaults(dev.mmutrace.trace.PagingMode.FOUR_LEVEL, 1, 64)
                .withInitMmPgd(1L << 12)).tree(0, 1);
        long load = t.next();
        List<Observation> obs = t.cr3(0, 1).replay();
        assertThat(only(obs, dev.mmutrace.replay.observe.Remark.class)).extracting(
                dev.mmutrace.replay.observe.Remark::event, dev.mmutrace.replay.observe.Remark::key)
                .containsExactly(tuple(load, "xen.init_mm_pin"));
        assertThat(only(obs, PinChange.class, p -> p.event() == load)).extracting(PinChange::level)
                .containsExactly(1, 4);
        assertThat(only(obs, ValidationFailure.class)).isEmpty();
    }

    @Test
    void aKernelRootAloneStillMakesTheUserBaseptrCallWithZero() {
        // x86-64 xen_write_cr3 queues MMUEXT_NEW_BASEPTR and then MMUEXT_NEW_USER_BASEPTR (the user
        // pgd, or 0) in one batch (xen.md §2.12, SPEC §7). A trace with the kernel-root write_cr3
        // only (pgd 1 has no user pgd the trace ever named): at that event one multicall of two
        // entries, NEW_BASEPTR then NEW_USER_BASEPTR, both inside the batch; at the end of the
        // trace the same for the second load, which no later event closes.
        XenTrace t = XenTrace.fourLevel(1).tree(0, 1).pin(0, 1);
        long load = t.next();
        t.cr3(0, 1).add(dev.mmutrace.trace.FlushTlb.one(0, XenTrace.NONE, 0x400000L));
        long last = t.next();
        List<Observation> obs = t.cr3(0, 1).replay();

        for (long event : List.of(load, last)) {
            assertThat(only(obs, Multicall.class, m -> m.event() == event)).containsExactly(new Multicall(event, 0, 2));
            assertThat(only(obs, Hypercall.class, h -> h.event() == event))
                    .extracting(Hypercall::name, Hypercall::inMulticall)
                    .containsExactly(tuple("mmuext_op:NEW_BASEPTR", true), tuple("mmuext_op:NEW_USER_BASEPTR", true));
        }
    }

    @Test
    void aKernelRootFollowedByItsUserRootMakesOneUserBaseptrCall() {
        // The generator's and the importer's traces carry both roots: still one batch of two,
        // issued at the user root's event, and no second NEW_USER_BASEPTR.
        XenTrace t = XenTrace.fourLevel(1).tree(0, 1).pin(0, 1).cr3(0, 1);
        long user = t.next();
        List<Observation> obs = t
                .add(new dev.mmutrace.trace.WriteCr3(0, XenTrace.NONE, 0, dev.mmutrace.trace.WriteCr3.Root.USER))
                .replay();
        assertThat(only(obs, Multicall.class, m -> m.event() >= user - 1)).containsExactly(new Multicall(user, 0, 2));
        assertThat(only(obs, Hypercall.class, h -> h.name().equals("mmuext_op:NEW_USER_BASEPTR"))).hasSize(1);
    }
}
