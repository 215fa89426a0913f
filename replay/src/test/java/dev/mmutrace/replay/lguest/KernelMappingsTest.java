package dev.mmutrace.replay.lguest;

import static dev.mmutrace.replay.lguest.LguestTrace.KERNPG_TABLE;
import static dev.mmutrace.replay.lguest.LguestTrace.PAGE_TABLE;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableMap;
import dev.mmutrace.replay.observe.Exit;
import dev.mmutrace.replay.observe.Fault;
import dev.mmutrace.replay.observe.Flush;
import dev.mmutrace.replay.observe.Hypercall;
import dev.mmutrace.replay.observe.IgnoredEvent;
import dev.mmutrace.replay.observe.ShadowClearAll;
import dev.mmutrace.replay.observe.ShadowDiscard;
import dev.mmutrace.replay.observe.ShadowFill;
import dev.mmutrace.replay.observe.ShadowPage;
import dev.mmutrace.replay.observe.StackRepin;
import org.junit.jupiter.api.Test;

/**
 * Kernel mappings (seed H:410, H:470 and the M:009 note): a kernel-address set_pte_at reaches
 * every cached pgdir; a plain set_pte throws every shadow away and the stack is mapped again.
 *
 * <p>Kernel layout: PAGE_OFFSET 0xc0000000 is pgd index 768 (slot cr3 + 0xc00), pointing to the
 * kernel PTE page at pfn 0x30; 0xc0000000 is its entry 0 (slot 0x30000), 0xc0001000 entry 1
 * (slot 0x30004), 0xc0003000 entry 3 (slot 0x3000c). Kernel PTEs carry P|RW|A|D (0x63).
 */
class KernelMappingsTest {
    static final long K = 0xc000_0000L;
    static final long KPTE_PAGE = 0x3_0000;

    @Test
    void kernelAddressSetPteAtUpdatesEveryCachedPgdir() {
        long[] cr3 = {0x1_0000, 0x1_1000, 0x1_2000};
        LguestTrace t = LguestTrace.twoLevel().settings(ImmutableMap.of(LguestFactory.EVICTION, "lru"));
        for (long c : cr3) {
            t.pmd(c + 0xc00, KPTE_PAGE | KERNPG_TABLE);
        }
        t.pteAt(cr3[0], K, KPTE_PAGE, 0x20_0063);
        for (long c : cr3) {
            t.cr3(c).read(K);
        }
        long set = t.next();
        // Issued from the third address space, but a kernel address: all three pgdirs change.
        t.pteAt(cr3[2], K, KPTE_PAGE, 0x20_1063);
        long back = t.next();
        t.cr3(cr3[0]).read(K);
        LguestTrace.Result r = t.run();

        // Before the set: one hidden fault per address space, each into its own shadow PTE page.
        assertThat(r.count(Fault.class, f -> f.event() < set)).isEqualTo(3);
        // The set: do_set_pte in each of the 3 pgdirs drops the entry for frame 0x200 (stale: the
        // guest now maps 0x201) and, A being set, installs the new one at once.
        assertThat(r.all(ShadowDiscard.class, d -> d.event() == set)).singleElement().satisfies(d -> {
            assertThat(d.entries()).isEqualTo(3);
            assertThat(d.stillValid()).isZero();
        });
        assertThat(r.count(ShadowFill.class, f -> f.event() == set)).isEqualTo(3);
        assertThat(r.all(Flush.class, f -> f.event() == set)).singleElement().satisfies(f -> {
            assertThat(f.needed()).isTrue();
            assertThat(f.staleRemoved()).isEqualTo(3);
        });
        // Back in the first address space the new kernel entry is already there: no fault.
        assertThat(r.count(Fault.class, f -> f.event() > back)).isZero();
    }

    @Test
    void plainSetPteThrowsEveryShadowAwayAndRepinsTheStack() {
        long cr3 = 0x1000;
        long v = 0x40_0000;
        LguestTrace t = LguestTrace.twoLevel();
        long early = t.next();
        // Before the first cr3 switch lguest's set_pte is a plain store: no hypercall.
        t.pte(KPTE_PAGE + 0xc, 0x30_0063);
        t.cr3(cr3)
                .pmd(cr3 + 4, 0x2000 | PAGE_TABLE)
                .pmd(cr3 + 0xc00, KPTE_PAGE | KERNPG_TABLE)
                .pteAt(cr3, v, 0x2000, 0x10_0067)
                .pteAt(cr3, K, KPTE_PAGE, 0x20_0063)
                .pteAt(cr3, K + 0x1000, KPTE_PAGE + 4, 0x20_1063);
        long stack = t.next();
        // The stack's top is 0xc0002000: its one page is 0xc0001000.
        t.stack(K + 0x2000, 1).read(v).read(K);
        long kmap = t.next();
        // A kernel (highmem kmap-like) mapping changes through set_pte: slot 0x3000c, not shadowed.
        t.pte(KPTE_PAGE + 0xc, 0x30_1063);
        long after = t.next();
        t.read(v).read(K);
        LguestTrace.Result r = t.run();

        assertThat(r.all(IgnoredEvent.class, i -> i.event() == early)).hasSize(1);
        assertThat(r.count(Exit.class, e -> e.event() == early)).isZero();
        // set_stack pins the stack page: demand_page for a write, one fill, no exit of its own.
        assertThat(r.count(ShadowFill.class, f -> f.event() == stack)).isEqualTo(1);
        // By the kmap the shadow holds 3 entries (v, 0xc0000000, the stack page) in 2 PTE pages.
        assertThat(r.all(Hypercall.class, h -> h.event() == kmap)).singleElement()
                .satisfies(h -> assertThat(h.name()).isEqualTo("LHCALL_FLUSH_TLB"));
        assertThat(r.all(ShadowClearAll.class, c -> c.event() == kmap)).hasSize(1);
        // All 3 still matched the guest: the throw-away was wasted (the M:009 cost).
        assertThat(r.all(ShadowDiscard.class, d -> d.event() == kmap)).singleElement().satisfies(d -> {
            assertThat(d.entries()).isEqualTo(3);
            assertThat(d.stillValid()).isEqualTo(3);
        });
        assertThat(r.all(Flush.class, f -> f.event() == kmap)).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo("shadow_clear_all");
            assertThat(f.origin()).isEqualTo(Flush.Origin.MODEL_GENERATED);
            assertThat(f.needed()).isFalse();
        });
        assertThat(r.count(ShadowPage.class, p -> p.event() == kmap && !p.allocated())).isEqualTo(2);
        // The stack goes back at once: one re-pin of 1 page, the kernel PTE page allocated again,
        // the stack entry refilled identical to the one just thrown away.
        assertThat(r.all(StackRepin.class, s -> s.event() == kmap)).singleElement()
                .satisfies(s -> assertThat(s.pages()).isEqualTo(1));
        assertThat(r.count(ShadowPage.class, p -> p.event() == kmap && p.allocated())).isEqualTo(1);
        assertThat(r.all(ShadowFill.class, f -> f.event() == kmap)).singleElement()
                .satisfies(f -> assertThat(f.refill()).isTrue());
        // Everything else faults back in: v and 0xc0000000, two hidden faults, two refills.
        assertThat(r.count(Fault.class, f -> f.event() >= after)).isEqualTo(2);
        assertThat(r.count(ShadowFill.class, f -> f.event() >= after && f.refill())).isEqualTo(2);
        // Exits: hypercalls for cr3, 2 set_pmd, 3 set_pte_at, set_stack, the kmap's set_pte = 8;
        // hidden faults: v and 0xc0000000 twice = 4.
        assertThat(r.exits("hypercall")).isEqualTo(8);
        assertThat(r.exits("hidden_fault")).isEqualTo(4);
    }
}
