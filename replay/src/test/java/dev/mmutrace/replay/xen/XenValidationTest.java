package dev.mmutrace.replay.xen;

import static dev.mmutrace.replay.xen.XenTrace.PRW;
import static dev.mmutrace.replay.xen.XenTrace.only;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.replay.observe.Exit;
import dev.mmutrace.replay.observe.FullValidation;
import dev.mmutrace.replay.observe.Hypercall;
import dev.mmutrace.replay.observe.Multicall;
import dev.mmutrace.replay.observe.Observation;
import dev.mmutrace.replay.observe.PinChange;
import dev.mmutrace.replay.observe.PtwrEmulation;
import dev.mmutrace.replay.observe.Remark;
import dev.mmutrace.replay.observe.ValidationFailure;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Xen 3.4 rules of reference/xen.md §2 and §6 against small 4level traces. The tree of
 * {@link XenTrace#tree}: pgd pfn 1, pud 2, pmd 3, pte 4, mapping data pfn 10 read-write.
 */
class XenValidationTest {

    @Test
    void pinValidatesTheTreeOnceAndPinsL1sAndTheTop() {
        XenTrace t = XenTrace.fourLevel(1).tree(0, 1);
        long pin = t.next();
        List<Observation> obs = t.pin(0, 1).replay();

        // pin_page on pud, pmd, pte (uvm RO; PIN_L1 for the pte page), then the pgd (uvm RO with
        // UVMF_TLB_FLUSH), then PIN_L4: 4 update_va_mapping + 2 mmuext = one multicall of 6 entries.
        assertThat(only(obs, Multicall.class)).singleElement().satisfies(m -> {
            assertThat(m.entries()).isEqualTo(6);
            assertThat(m.event()).isEqualTo(pin);
        });
        assertThat(only(obs, Hypercall.class)).extracting(Hypercall::name).containsExactly(
                "update_va_mapping", "update_va_mapping", "update_va_mapping", "mmuext_op:PIN_L1_TABLE",
                "update_va_mapping", "mmuext_op:PIN_L4_TABLE");
        // PIN_L1 validates the L1 (512 slots); PIN_L4 validates L4 (512 - 16 Xen slots = 496),
        // which takes L3 (512) and L2 (512); the L2's reference to the pinned L1 is only a count.
        assertThat(only(obs, FullValidation.class)).extracting(FullValidation::level, FullValidation::entriesScanned)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, 512),
                        org.assertj.core.groups.Tuple.tuple(2, 512),
                        org.assertj.core.groups.Tuple.tuple(3, 512),
                        org.assertj.core.groups.Tuple.tuple(4, 496));
        assertThat(only(obs, PinChange.class)).extracting(PinChange::mfn, PinChange::level, PinChange::pinned)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(t.mfn(4), 1, true),
                        org.assertj.core.groups.Tuple.tuple(t.mfn(1), 4, true));
        assertThat(only(obs, ValidationFailure.class)).isEmpty();
    }

    @Test
    void writableMappingOfAPinnedTablePageIsRefused() {
        XenTrace t = XenTrace.fourLevel(1).tree(0, 1).pin(0, 1);
        long store = t.next();
        // A store into the pinned pte page traps (its direct map is RO) and ptwr checks it: the
        // new entry maps pmd page pfn 3 read-write, but pfn 3 has type l2 with count 1 (the pud
        // references it), so get_page_type(writable) fails: "Bad type (saw l2 != exp writable)".
        List<Observation> obs = t.setPte(0, 4, 1, (3L << 12) | PRW).replay();

        assertThat(only(obs, ValidationFailure.class)).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo("writable_pt_mapping");
            assertThat(f.event()).isEqualTo(store);
            assertThat(f.message()).contains("Bad type (saw l2 != exp writable)")
                    .contains("ptwr_emulate").contains("2.6.2x");
        });
        assertThat(only(obs, PtwrEmulation.class)).isEmpty();
        assertThat(only(obs, Exit.class, e -> e.event() == store)).extracting(Exit::cause)
                .containsExactly("fault_bounce");
    }

    @Test
    void unpinnedUnreferencedTableTakesTheSameStoreUncheckedAndThenCannotBePinned() {
        XenTrace t = XenTrace.fourLevel(1).tree(0, 1);
        long store = t.next();
        t.setPte(0, 4, 1, (3L << 12) | PRW);
        long pin = t.next();
        List<Observation> obs = t.pin(0, 1).replay();

        // The pte page is still mapped RW by the direct map: the store is a plain write, nothing
        // is checked and nothing traps.
        assertThat(obs).filteredOn(o -> o.event() == store).isEmpty();
        // At pin time the walk makes pud, pmd, pte RO, PIN_L1 of the pte page validates its two
        // entries (the RW mapping of pfn 3 is a writable ref on a page that is writable type,
        // count 0 after its RO step: allowed). PIN_L4 then validates the L4, the L3, and the L3's
        // entry needs pfn 3 as an l2 while the pte page holds it writable: refused.
        assertThat(only(obs, ValidationFailure.class)).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo("pt_has_writable_mapping");
            assertThat(f.event()).isEqualTo(pin);
            assertThat(f.message()).startsWith(String.format("Error while pinning mfn %x", t.mfn(1)))
                    .contains("Bad type (saw writable != exp l2)").contains("BUG_ON");
        });
        assertThat(only(obs, PinChange.class)).extracting(PinChange::level).containsExactly(1);
    }

    @Test
    void pteBeyondPfnLimitIsNotOwned() {
        XenTrace t = XenTrace.fourLevel(1).tree(0, 1).pin(0, 1);
        // pfn 70 >= pfn_limit 64: pfn_to_mfn gives INVALID_P2M_ENTRY, the entry carries an mfn no
        // domain owns, and get_page_from_l1e refuses it.
        List<Observation> obs = t.setPte(0, 4, 1, (70L << 12) | PRW).replay();
        assertThat(only(obs, ValidationFailure.class)).singleElement()
                .satisfies(f -> assertThat(f.reason()).isEqualTo("not_owned"));
    }

    @Test
    void everyRefusalIsARemarkThatTheGuestStopsAtTheFirst() {
        // the two refused cache-attribute stores of the next test: the 2.6.2x guest BUG()s on the
        // first refused hypercall (SPEC §7), so both remarks name the first refusal's event
        List<Observation> obs = XenTrace.fourLevel(1).tree(0, 1).pin(0, 1)
                .setPte(0, 4, 1, (11L << 12) | PRW | 0x10)
                .setPte(0, 4, 2, (12L << 12) | PRW | 0x08).replay();
        List<ValidationFailure> refused = only(obs, ValidationFailure.class);
        List<Remark> remarks = only(obs, Remark.class);
        assertThat(remarks).extracting(Remark::key).containsExactly("guest_bug_on", "guest_bug_on");
        assertThat(remarks).extracting(Remark::event).containsExactly(refused.get(0).event(), refused.get(1).event());
        assertThat(remarks).allSatisfy(r -> assertThat(r.text())
                .startsWith("a 2.6.2x guest would not have run past event " + refused.get(0).event() + ":"));
    }

    @Test
    void cacheAttributesInAnL1NeedIoRights() {
        // PCD (0x10) and PWT (0x08) are in L1_DISALLOW_MASK unless the domain has I/O rights.
        XenTrace domU = XenTrace.fourLevel(1).tree(0, 1).pin(0, 1)
                .setPte(0, 4, 1, (11L << 12) | PRW | 0x10)
                .setPte(0, 4, 2, (12L << 12) | PRW | 0x08);
        List<ValidationFailure> refused = only(domU.replay(), ValidationFailure.class);
        assertThat(refused).extracting(ValidationFailure::reason).containsExactly("bad_l1_flags", "bad_l1_flags");
        assertThat(refused.get(0).message()).contains("Bad L1 flags 10;");
        assertThat(refused.get(1).message()).contains("Bad L1 flags 8;");

        XenTrace driverDomain = XenTrace.fourLevel(1).with("xen.io_rights", "true").tree(0, 1).pin(0, 1)
                .setPte(0, 4, 1, (11L << 12) | PRW | 0x10);
        List<Observation> obs = driverDomain.replay();
        assertThat(only(obs, ValidationFailure.class)).isEmpty();
        assertThat(only(obs, PtwrEmulation.class)).hasSize(1);
    }

    @Test
    void pseInAnL3IsRefusedByTheMask() {
        XenTrace t = XenTrace.fourLevel(1).tree(0, 1).pin(0, 1);
        long update = t.next();
        // The pud page is PG_pinned, so set_pud is an mmu_update; PSE (0x80) is in L3_DISALLOW_MASK.
        List<Observation> obs = t.setPud(0, 2, 1, (0L << 12) | PRW | 0x80).replay();
        assertThat(only(obs, Hypercall.class, h -> h.event() == update)).extracting(Hypercall::name)
                .containsExactly("mmu_update");
        assertThat(only(obs, ValidationFailure.class)).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo("bad_l3_flags");
            assertThat(f.message()).startsWith("Bad L3 flags 80");
        });
    }

    @Test
    void pinningTwiceAndUnpinningAnUnpinnedTableFail() {
        XenTrace t = XenTrace.fourLevel(1).tree(0, 1).pin(0, 1);
        long again = t.next();
        t.pin(0, 1);
        // pfn 20: an (empty) pgd nobody pinned.
        t.setPgd(0, 20, 0, 0);
        long unpin = t.next();
        List<Observation> obs = t.unpin(0, 20).replay();

        // Second pin: every page is PG_pinned already, so only PIN_L4 is sent; Xen takes the type
        // (count 1 -> 2), finds PGT_pinned set, drops it again and refuses.
        assertThat(only(obs, Hypercall.class, h -> h.event() == again)).extracting(Hypercall::name)
                .containsExactly("mmuext_op:PIN_L4_TABLE");
        // Unpin: UNPIN_TABLE on a frame without PGT_pinned: "Mfn %lx not pinned"; the page is
        // not PG_pinned, so the walk sends nothing else.
        assertThat(only(obs, ValidationFailure.class)).extracting(ValidationFailure::event,
                ValidationFailure::reason).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(again, "already_pinned"),
                        org.assertj.core.groups.Tuple.tuple(unpin, "not_pinned"));
        assertThat(only(obs, ValidationFailure.class)).extracting(ValidationFailure::message)
                .satisfiesExactly(
                        m -> assertThat(m).startsWith(String.format("Mfn %x already pinned", t.mfn(1))),
                        m -> assertThat(m).startsWith(String.format("Mfn %x not pinned", t.mfn(20))));
    }

    @Test
    void linearPageTablesMustBeReadOnly() {
        // A pgd slot pointing back at the pgd itself (a linear page table) is allowed read-only
        // and takes no reference; read-write it would give the guest write access to its own
        // tables: "Attempt to create linear p.t. with write perms".
        XenTrace t = XenTrace.fourLevel(1).tree(0, 1).pin(0, 1);
        t.setPgd(0, 1, 5, (1L << 12) | XenTrace.PRO);
        long rw = t.next();
        List<Observation> obs = t.setPgd(0, 1, 6, (1L << 12) | PRW).replay();
        assertThat(only(obs, ValidationFailure.class)).extracting(ValidationFailure::event, ValidationFailure::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(rw, "linear_pt_writable"));
    }

    @Test
    void superpagesAndXenSlotsAreRefused() {
        // PSE in an L2 passes the 3.4 mask but needs allowhugepage; L4 slots 256..271 are Xen's.
        XenTrace t = XenTrace.fourLevel(1).tree(0, 1).pin(0, 1);
        long pse = t.next();
        t.setPmd(0, 3, 4, (512L << 12) | PRW | 0x80);
        long xenSlot = t.next();
        List<Observation> obs = t.setPgd(0, 1, 260, (2L << 12) | PRW).replay();
        assertThat(only(obs, ValidationFailure.class)).extracting(ValidationFailure::event, ValidationFailure::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(pse, "pse_not_allowed"),
                        org.assertj.core.groups.Tuple.tuple(xenSlot, "xen_private_slot"));
    }
}
