package dev.mmutrace.replay.lguest;

import static dev.mmutrace.replay.lguest.LguestTrace.PAGE_TABLE;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableMap;
import dev.mmutrace.replay.observe.Fault;
import dev.mmutrace.replay.observe.Flush;
import dev.mmutrace.replay.observe.PgdirEviction;
import dev.mmutrace.replay.observe.PgdirSwitch;
import dev.mmutrace.replay.observe.ShadowDiscard;
import dev.mmutrace.replay.observe.ShadowFill;
import dev.mmutrace.replay.observe.ShadowPage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pgdirs cache (seed H:430, H:435): five address spaces cycled twice through the cache.
 *
 * <p>Address space i (0..4) has its top table at pfn 0x10+i, pgd index 1 pointing to the PTE page
 * at pfn 0x20+i, and a working set of two pages, 0x400000 and 0x401000, whose PTEs already carry
 * A and D (so each fill installs the guest's entry unchanged). Each visit is write_cr3, then a
 * read of both pages.
 */
class PgdirCacheTest {
    static final int SPACES = 5;
    static final long V = 0x40_0000;
    static final long V2 = 0x40_1000;

    static long cr3(int i) {
        return (0x10L + i) << 12;
    }

    /** The trace, and the index of each visit's write_cr3 (round 1 then round 2). */
    static LguestTrace cycleTwice(List<Long> visits) {
        LguestTrace t = LguestTrace.twoLevel();
        for (int i = 0; i < SPACES; i++) {
            long ptePage = (0x20L + i) << 12;
            t.pmd(cr3(i) + 4, ptePage | PAGE_TABLE)
                    .pteAt(cr3(i), V, ptePage, ((0x100L + 2 * i) << 12) | 0x67)
                    .pteAt(cr3(i), V2, ptePage + 4, ((0x101L + 2 * i) << 12) | 0x67);
        }
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < SPACES; i++) {
                visits.add(t.next());
                t.cr3(cr3(i)).read(V).read(V2);
            }
        }
        return t;
    }

    @Test
    void fourSlotsLruEvictsOnEveryReturnAndEachReturnRefaultsItsWorkingSet() {
        List<Long> visits = new ArrayList<>();
        LguestTrace.Result r = cycleTwice(visits)
                .settings(ImmutableMap.of(LguestFactory.EVICTION, "lru")).run();

        // Round 1: spaces 0..3 take the four never-used slots (blank, no eviction); space 4
        // evicts the least recently switched-to, space 0. Round 2 (cyclic order, LRU's worst
        // case): 0 evicts 1, 1 evicts 2, 2 evicts 3, 3 evicts 4, 4 evicts 0. So 10 switches,
        // 10 misses, 6 evictions, 5 misses of a cr3 evicted before.
        assertThat(r.all(PgdirSwitch.class)).hasSize(10).noneMatch(PgdirSwitch::hit);
        assertThat(r.all(PgdirEviction.class)).extracting(PgdirEviction::evictedCr3)
                .containsExactly(cr3(0), cr3(1), cr3(2), cr3(3), cr3(4), cr3(0));
        assertThat(r.count(PgdirSwitch.class, PgdirSwitch::evictedBefore)).isEqualTo(5);
        // Every visit faults both pages in: 10 visits x 2 = 20 hidden faults and fills; the
        // 10 of round 2 put back exactly the entries the evictions threw away.
        assertThat(r.exits("hidden_fault")).isEqualTo(20);
        assertThat(r.all(ShadowFill.class)).hasSize(20);
        assertThat(r.count(ShadowFill.class, ShadowFill::refill)).isEqualTo(10);
        // Each eviction drops the evicted space's PTE page and its 2 entries, all still valid
        // (the guest changed nothing): 6 wasted new_pgdir throw-aways, 12 entries.
        assertThat(r.all(ShadowDiscard.class)).hasSize(6)
                .allSatisfy(d -> assertThat(d.entries()).isEqualTo(2))
                .allSatisfy(d -> assertThat(d.stillValid()).isEqualTo(2));
        assertThat(r.all(Flush.class)).hasSize(6).allSatisfy(f -> {
            assertThat(f.kind()).isEqualTo("shadow_new_pgdir");
            assertThat(f.needed()).isFalse();
        });
        assertThat(r.count(ShadowPage.class, ShadowPage::allocated)).isEqualTo(10);
        assertThat(r.count(ShadowPage.class, p -> !p.allocated())).isEqualTo(6);
    }

    @Test
    void fiveSlotsLruEvictNothing() {
        List<Long> visits = new ArrayList<>();
        LguestTrace.Result r = cycleTwice(visits)
                .settings(ImmutableMap.of(LguestFactory.PGDIRS, "5", LguestFactory.EVICTION, "lru")).run();

        // Round 1: five misses into five never-used slots; round 2: five hits, no fault at all.
        assertThat(r.count(PgdirSwitch.class, s -> !s.hit())).isEqualTo(5);
        assertThat(r.count(PgdirSwitch.class, PgdirSwitch::hit)).isEqualTo(5);
        assertThat(r.all(PgdirEviction.class)).isEmpty();
        assertThat(r.exits("hidden_fault")).isEqualTo(10);
        for (long visit : visits.subList(SPACES, 2 * SPACES)) {
            assertThat(r.at(visit + 1)).isEmpty();
            assertThat(r.at(visit + 2)).isEmpty();
        }
    }

    @Test
    void fourSlotsRandomEvictionIsSeededAndAnEvictedSpaceRefaultsOnReturn() {
        List<Long> visits = new ArrayList<>();
        LguestTrace trace = cycleTwice(visits).seed(42);
        LguestTrace.Result r = trace.run();

        // Five address spaces cannot all stay in four slots: round 1 evicts at least once.
        long roundTwo = visits.get(SPACES);
        assertThat(r.count(PgdirEviction.class, e -> e.event() < roundTwo)).isGreaterThanOrEqualTo(1);
        // ... and so the space evicted last in round 1 misses when round 2 comes back to it.
        assertThat(r.count(PgdirSwitch.class, s -> s.event() >= roundTwo && !s.hit())).isGreaterThanOrEqualTo(1);
        // On return, a space that is still cached faults nothing; one that was evicted misses,
        // was evicted before, and re-faults its whole working set (2 pages), refilling the very
        // entries its eviction threw away.
        for (long visit : visits.subList(SPACES, 2 * SPACES)) {
            PgdirSwitch s = r.all(PgdirSwitch.class, x -> x.event() == visit).get(0);
            List<Fault> faults = new ArrayList<>(r.all(Fault.class, f -> f.event() == visit + 1));
            faults.addAll(r.all(Fault.class, f -> f.event() == visit + 2));
            if (s.hit()) {
                assertThat(faults).isEmpty();
            } else {
                assertThat(s.evictedBefore()).isTrue();
                assertThat(faults).hasSize(2).allMatch(f -> f.kind() == Fault.Kind.HIDDEN);
                assertThat(r.all(ShadowFill.class, f -> f.event() == visit + 1 || f.event() == visit + 2))
                        .hasSize(2).allMatch(ShadowFill::refill);
            }
        }
        // Same seed, same replay.
        assertThat(trace.run().observations()).isEqualTo(r.observations());
    }
}
