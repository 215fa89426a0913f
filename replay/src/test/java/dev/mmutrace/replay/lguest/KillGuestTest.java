package dev.mmutrace.replay.lguest;

import static dev.mmutrace.replay.lguest.LguestTrace.A;
import static dev.mmutrace.replay.lguest.LguestTrace.KERNPG_TABLE;
import static dev.mmutrace.replay.lguest.LguestTrace.P;
import static dev.mmutrace.replay.lguest.LguestTrace.PAGE_TABLE;
import static dev.mmutrace.replay.lguest.LguestTrace.PWT;
import static dev.mmutrace.replay.lguest.LguestTrace.RW;
import static dev.mmutrace.replay.lguest.LguestTrace.US;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.replay.observe.Exit;
import dev.mmutrace.replay.observe.Observation;
import dev.mmutrace.replay.observe.ShadowPage;
import dev.mmutrace.replay.observe.ValidationFailure;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * kill_guest (seed check_gpte, check_gpgd, spgd_addr): each stops the lguest replay at the event
 * that caused it, with the seed's words. The guest has 4096 frames (pfn_limit 0x1000); its top
 * table is at 0x1000, vaddr 0x400000 goes through pgd slot 0x1004 and PTE slot 0x2000.
 */
class KillGuestTest {
    static final long CR3 = 0x1000;
    static final long V = 0x40_0000;

    /** Replays setup + the killing access + one more event, and checks the kill and the silence after it. */
    private static ValidationFailure killedBy(LguestTrace t, long killer) {
        t.read(V); // after the kill: must not be replayed
        LguestTrace.Result r = t.run();
        List<ValidationFailure> kills = r.all(ValidationFailure.class);
        assertThat(kills).singleElement().satisfies(k -> {
            assertThat(k.fatal()).isTrue();
            assertThat(k.event()).isEqualTo(killer);
        });
        List<Observation> all = r.observations();
        assertThat(all.get(all.size() - 1)).isEqualTo(kills.get(0));
        return kills.get(0);
    }

    @Test
    void pwtInAGuestPteKillsTheGuest() {
        LguestTrace t = LguestTrace.twoLevel().cr3(CR3).pmd(CR3 + 4, 0x2000 | PAGE_TABLE)
                .pteAt(CR3, V, 0x2000, 0x10_0000 | P | RW | US | PWT);
        long killer = t.next();
        t.read(V);
        ValidationFailure k = killedBy(t, killer);
        assertThat(k.reason()).isEqualTo("bad_pte");
        assertThat(k.message()).startsWith("bad page table entry").contains("_PAGE_PWT");
    }

    /** A trace whose last event kills the guest, and that event's index. */
    private record Kill(LguestTrace trace, long killer) {
    }

    /**
     * pfn 0x1000 is the first frame beyond a 0x1000-frame guest. A is set, so do_set_pte checks
     * it at once, once the shadow PTE page exists (made by the read of 0x401000).
     */
    private static Kill setPteOfPfnAtLimit() {
        LguestTrace t = LguestTrace.twoLevel().cr3(CR3).pmd(CR3 + 4, 0x2000 | PAGE_TABLE)
                .pteAt(CR3, V + 0x1000, 0x2004, 0x10_0000 | P | RW | US)
                .read(V + 0x1000);
        long killer = t.next();
        t.pteAt(CR3, V, 0x2000, 0x100_0000 | P | RW | US | A);
        return new Kill(t, killer);
    }

    @Test
    void pfnAtPfnLimitKillsTheGuest() {
        Kill kill = setPteOfPfnAtLimit();
        ValidationFailure k = killedBy(kill.trace(), kill.killer());
        assertThat(k.reason()).isEqualTo("bad_pte");
        assertThat(k.message()).startsWith("bad page table entry").contains("pfn_limit");
    }

    @Test
    void pgdFlagsBeyondPageTableKillTheGuestAfterItsPtePageAndItsFaultsExit() {
        // PCD (0x10) is not in _PAGE_TABLE (P|RW|US|A|D). The seed's demand_page, up to kill_guest
        // and no more: the guest's #PF on 0x400000 traps into the host (an exit); the guest pgd
        // entry is present and the shadow has no PTE page under slot 1, so get_zeroed_page
        // allocates one (pte_pages_allocated 1) and only then check_gpgd kills. So at the killing
        // event: one ShadowPage (level 1, allocated), one Exit, the fatal ValidationFailure last;
        // no Fault (the guest never sees it: neither hidden nor reflected) and no fill.
        LguestTrace t = LguestTrace.twoLevel().cr3(CR3).pmd(CR3 + 4, 0x2000 | PAGE_TABLE | 0x10)
                .pteAt(CR3, V, 0x2000, 0x10_0000 | P | RW | US);
        long killer = t.next();
        t.read(V);
        t.read(V); // after the kill: not replayed
        LguestTrace.Result r = t.run();
        List<ValidationFailure> kills = r.all(ValidationFailure.class);
        assertThat(kills).singleElement().satisfies(k -> {
            assertThat(k.fatal()).isTrue();
            assertThat(k.event()).isEqualTo(killer);
            assertThat(k.reason()).isEqualTo("bad_pgd");
            assertThat(k.message()).startsWith("bad page directory entry").contains("_PAGE_TABLE");
        });
        List<Observation> at = r.at(killer);
        assertThat(at).extracting(o -> o.getClass().getSimpleName())
                .containsExactlyInAnyOrder("ShadowPage", "Exit", "ValidationFailure");
        assertThat(at).contains(new ShadowPage(killer, 0, 1, true), new Exit(killer, 0, "fatal_fault"));
        List<Observation> all = r.observations();
        assertThat(all.get(all.size() - 1)).isEqualTo(kills.get(0));
    }

    @Test
    void settingAnEntryAtTheSwitcherAddressesKillsTheGuest() {
        // 0xffc00000 is pgd index 1023, the Switcher's: a kernel address, so do_set_pte runs on
        // every cached pgdir and spgd_addr refuses it.
        LguestTrace t = LguestTrace.twoLevel().cr3(CR3);
        long killer = t.next();
        t.pteAt(CR3, 0xffc0_0000L, 0x3000, 0x10_0000 | P | RW | A);
        ValidationFailure k = killedBy(t, killer);
        assertThat(k.reason()).isEqualTo("switcher_access");
        assertThat(k.message()).startsWith("attempt to access switcher pages");
    }

    @Test
    void accessingTheSwitcherAddressesKillsTheGuest() {
        // The guest maps pgd index 1023 itself; demand_page finds it present, then spgd_addr kills.
        LguestTrace t = LguestTrace.twoLevel().cr3(CR3).pmd(CR3 + 0xffc, 0x3000 | KERNPG_TABLE);
        long killer = t.next();
        t.read(0xffc0_1000L);
        ValidationFailure k = killedBy(t, killer);
        assertThat(k.reason()).isEqualTo("switcher_access");
    }

    @Test
    void setPmdOnTheSwitcherSlotIsIgnored() {
        // guest_set_pmd ignores index >= SWITCHER_PGD_INDEX: a hypercall, and nothing else.
        LguestTrace t = LguestTrace.twoLevel().cr3(CR3);
        long set = t.next();
        t.pmd(CR3 + 0xffc, 0x3000 | KERNPG_TABLE);
        LguestTrace.Result r = t.run();
        assertThat(r.all(ValidationFailure.class)).isEmpty();
        assertThat(r.at(set)).extracting(o -> o.getClass().getSimpleName())
                .containsExactlyInAnyOrder("Hypercall", "Exit");
    }

    @Test
    void aStackPageTheGuestDoesNotMapKillsTheGuest() {
        LguestTrace t = LguestTrace.twoLevel().cr3(CR3);
        long killer = t.next();
        t.stack(0xc000_2000L, 1);
        ValidationFailure k = killedBy(t, killer);
        assertThat(k.reason()).isEqualTo("bad_stack_page");
        assertThat(k.message()).isEqualTo("bad stack page 0xc0001fff");
    }

    @Test
    void aKillAtSetPteIsNoFaultExit() {
        // do_set_pte's check_gpte kills inside LHCALL_SET_PTE: that hypercall's exit is the only
        // one; no fault trapped, so no fatal_fault exit.
        Kill kill = setPteOfPfnAtLimit();
        List<Observation> at = kill.trace().run().at(kill.killer());
        assertThat(at).filteredOn(Exit.class::isInstance).containsExactly(new Exit(kill.killer(), 0, "hypercall"));
    }
}
