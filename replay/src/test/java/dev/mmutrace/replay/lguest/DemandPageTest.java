package dev.mmutrace.replay.lguest;

import static dev.mmutrace.replay.lguest.LguestTrace.A;
import static dev.mmutrace.replay.lguest.LguestTrace.D;
import static dev.mmutrace.replay.lguest.LguestTrace.P;
import static dev.mmutrace.replay.lguest.LguestTrace.PAGE_TABLE;
import static dev.mmutrace.replay.lguest.LguestTrace.RW;
import static dev.mmutrace.replay.lguest.LguestTrace.US;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.replay.observe.Fault;
import dev.mmutrace.replay.observe.Flush;
import dev.mmutrace.replay.observe.ShadowDiscard;
import dev.mmutrace.replay.observe.ShadowFill;
import dev.mmutrace.replay.observe.ShadowPage;
import dev.mmutrace.trace.Access;
import org.junit.jupiter.api.Test;

/**
 * demand_page and do_set_pte on a 2-level guest, from the seed's comments (H:330, H:420).
 *
 * <p>Layout used throughout: the guest top table at gpa 0x1000; vaddr 0x400000 is pgd index 1
 * (slot 0x1004) and pte index 0 of the PTE page at pfn 2 (slot 0x2000); 0x401000 is pte index 1
 * (slot 0x2004). The data page is pfn 0x100.
 */
class DemandPageTest {
    static final long CR3 = 0x1000;
    static final long PGD_SLOT = 0x1004;
    static final long PTE_PAGE = 0x2000;
    static final long V = 0x40_0000;
    static final long V2 = 0x40_1000;
    static final long FRAME = 0x10_0000;

    @Test
    void readFaultInstallsWriteProtectedAndTheFirstWriteFaultsAgainSettingDirty() {
        LguestTrace t = LguestTrace.twoLevel()
                .cr3(CR3)
                .pmd(PGD_SLOT, PTE_PAGE | PAGE_TABLE)
                .pteAt(CR3, V, PTE_PAGE, FRAME | P | RW | US);
        long firstRead = t.next();
        t.read(V);
        long secondRead = t.next();
        t.read(V);
        long firstWrite = t.next();
        t.write(V);
        long secondWrite = t.next();
        t.write(V);
        LguestTrace.Result r = t.run();

        // First read: no shadow PTE page yet -> hidden fault; demand_page allocates one PTE page,
        // fills the entry, sets A in the guest PTE and leaves the shadow entry read-only.
        assertThat(r.all(Fault.class, f -> f.event() == firstRead))
                .singleElement().satisfies(f -> {
                    assertThat(f.kind()).isEqualTo(Fault.Kind.HIDDEN);
                    assertThat(f.errorCode()).isZero(); // not present, read, supervisor
                });
        assertThat(r.count(ShadowPage.class, p -> p.allocated() && p.level() == 1)).isEqualTo(1);
        // Second read: the read-only shadow entry serves it, nothing happens.
        assertThat(r.at(secondRead)).isEmpty();
        // First write: the entry is present but write-protected -> P|W fault, fixed by demand_page.
        assertThat(r.all(Fault.class, f -> f.event() == firstWrite))
                .singleElement().satisfies(f -> {
                    assertThat(f.kind()).isEqualTo(Fault.Kind.HIDDEN);
                    assertThat(f.errorCode()).isEqualTo(0b11);
                });
        assertThat(r.at(secondWrite)).isEmpty();
        // The guest PTE now has A (from the read) and D (from the write): 0x100007 | 0x60.
        assertThat(r.memory().read(PTE_PAGE)).isEqualTo(FRAME | P | RW | US | A | D);
        // Exits: write_cr3, set_pmd, set_pte_at hypercalls, then two hidden faults.
        assertThat(r.exits("hypercall")).isEqualTo(3);
        assertThat(r.exits("hidden_fault")).isEqualTo(2);
        assertThat(r.all(ShadowFill.class)).hasSize(2).noneMatch(ShadowFill::refill);
        // The write replaced the read-only entry: an upgrade, not a discard.
        assertThat(r.all(ShadowDiscard.class)).isEmpty();
    }

    @Test
    void setPteAtWithAccessedInstallsAtOnceAndNeverFaults() {
        LguestTrace t = LguestTrace.twoLevel()
                .cr3(CR3)
                .pmd(PGD_SLOT, PTE_PAGE | PAGE_TABLE)
                .pteAt(CR3, V2, PTE_PAGE + 4, (FRAME + 0x1000) | P | RW | US | A)
                // A fault on 0x401000 gives the 4 MiB region its shadow PTE page: do_set_pte
                // only updates entries of PTE pages that exist.
                .read(V2);
        long set = t.next();
        t.pteAt(CR3, V, PTE_PAGE, FRAME | P | RW | US | A);
        long read = t.next();
        t.read(V);
        long write = t.next();
        t.write(V);
        LguestTrace.Result r = t.run();

        // A is set: do_set_pte installs the entry in the same hypercall (one fill at the set).
        assertThat(r.all(ShadowFill.class, f -> f.event() == set)).singleElement()
                .satisfies(f -> assertThat(f.vaddr()).isEqualTo(V));
        // No hidden fault later: one hidden fault in all, the one for 0x401000.
        assertThat(r.exits("hidden_fault")).isEqualTo(1);
        assertThat(r.at(read)).isEmpty();
        // The seed copies the guest's flags unchanged (gpte_to_spte does not write-protect), so
        // with RW and A but no D the shadow entry is writable: the write does not fault and the
        // guest PTE never gets D.
        assertThat(r.at(write)).isEmpty();
        assertThat(r.memory().read(PTE_PAGE) & D).isZero();
    }

    @Test
    void setPteAtWithoutAccessedOrDirtyClearsTheShadowEntryAndTheNextAccessFaults() {
        LguestTrace t = LguestTrace.twoLevel()
                .cr3(CR3)
                .pmd(PGD_SLOT, PTE_PAGE | PAGE_TABLE)
                .pteAt(CR3, V, PTE_PAGE, FRAME | P | RW | US)
                .read(V);
        long remap = t.next();
        // The guest moves vaddr to another frame, without A or D.
        t.pteAt(CR3, V, PTE_PAGE, (FRAME + 0x1000) | P | RW | US);
        long read = t.next();
        t.read(V);
        long same = t.next();
        // Set again to the value the guest PTE holds now (A included, so it is installed again).
        t.pteAt(CR3, V, PTE_PAGE, (FRAME + 0x1000) | P | RW | US | A);
        LguestTrace.Result r = t.run();

        // The remap drops the one shadow entry; it mapped frame 0x100, the guest now says 0x101:
        // stale, so the throw-away was needed (1 stale removed) and nothing is installed.
        assertThat(r.all(ShadowDiscard.class, d -> d.event() == remap)).singleElement()
                .satisfies(d -> {
                    assertThat(d.entries()).isEqualTo(1);
                    assertThat(d.stillValid()).isZero();
                });
        assertThat(r.all(Flush.class, f -> f.event() == remap)).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo("shadow_set_pte");
            assertThat(f.origin()).isEqualTo(Flush.Origin.MODEL_GENERATED);
            assertThat(f.needed()).isTrue();
            assertThat(f.staleRemoved()).isEqualTo(1);
        });
        assertThat(r.count(ShadowFill.class, f -> f.event() == remap)).isZero();
        // The next read is a hidden fault again (the guest tables allow it).
        assertThat(r.all(Fault.class, f -> f.event() == read)).singleElement()
                .satisfies(f -> assertThat(f.kind()).isEqualTo(Fault.Kind.HIDDEN));
        // The read filled 0x101000|P|US|A (write-protected); the re-set drops it while it still
        // matches the guest (same frame, no right taken away): a wasted throw-away, 1 still valid.
        assertThat(r.all(ShadowDiscard.class, d -> d.event() == same)).singleElement()
                .satisfies(d -> assertThat(d.stillValid()).isEqualTo(1));
        assertThat(r.all(Flush.class, f -> f.event() == same)).singleElement()
                .satisfies(f -> assertThat(f.needed()).isFalse());
        assertThat(r.exits("hidden_fault")).isEqualTo(2);
    }

    @Test
    void accessTheGuestTablesForbidIsReflected() {
        LguestTrace t = LguestTrace.twoLevel()
                .cr3(CR3)
                .pmd(PGD_SLOT, PTE_PAGE | PAGE_TABLE)
                .pteAt(CR3, V, PTE_PAGE, FRAME | P | US | A); // read-only
        long write = t.next();
        t.write(V);
        long user = t.next();
        t.add(new Access(0, LguestTrace.NO, V2, Access.Kind.READ, true));
        LguestTrace.Result r = t.run();

        // Write to a page the guest keeps read-only: demand_page returns 0, the guest gets it.
        assertThat(r.all(Fault.class, f -> f.event() == write)).singleElement()
                .satisfies(f -> assertThat(f.kind()).isEqualTo(Fault.Kind.REFLECTED));
        // 0x401000's guest PTE was never written: unknown, so not mapped -> reflected.
        assertThat(r.all(Fault.class, f -> f.event() == user)).singleElement()
                .satisfies(f -> assertThat(f.kind()).isEqualTo(Fault.Kind.REFLECTED));
        assertThat(r.exits("reflected_fault")).isEqualTo(2);
        assertThat(r.exits("hidden_fault")).isZero();
        // Nothing was filled: the guest PTE at 0x2000 keeps its value, no A/D written back.
        assertThat(r.all(ShadowFill.class)).isEmpty();
        assertThat(r.memory().read(PTE_PAGE)).isEqualTo(FRAME | P | US | A);
    }
}
