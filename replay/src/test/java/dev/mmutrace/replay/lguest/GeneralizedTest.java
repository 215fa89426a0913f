package dev.mmutrace.replay.lguest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.replay.observe.Fault;
import dev.mmutrace.replay.observe.Flush;
import dev.mmutrace.replay.observe.Remark;
import dev.mmutrace.replay.observe.ShadowDiscard;
import dev.mmutrace.replay.observe.ShadowFill;
import dev.mmutrace.replay.observe.ShadowPage;
import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.AccessMode;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.SetPgd;
import dev.mmutrace.trace.SetPud;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import org.junit.jupiter.api.Test;

/** pae and 4level traces: every level shadowed like the seed's pgd level, and the replay marked generalized. */
class GeneralizedTest {
    static final long V = 0x40_0000;
    static final long NO = TraceEvent.NO_TIMESTAMP;

    static LguestTrace of(PagingMode mode) {
        return LguestTrace.of(TraceHeader.defaults(mode, 1, 0x1000).withAccessMode(AccessMode.EXPLICIT));
    }

    @Test
    void paeNonLeafSetsReleaseTheShadowSubtreeBelowTheirSlot() {
        // PDPT at 0x1000; vaddr 0x400000 is PDPT index 0 -> PMD page pfn 2, PMD index 2 (slot
        // 0x2010) -> PTE page pfn 3, PTE index 0 (slot 0x3000) -> frame 0x100 with A and D.
        LguestTrace t = of(PagingMode.PAE)
                .cr3(0x1000)
                .add(new SetPud(0, NO, 0x1000, 0x2001))
                .pmd(0x2010, 0x3067)
                .pteAt(0x1000, V, 0x3000, 0x10_0067);
        long first = t.next();
        t.read(V);
        long samePud = t.next();
        // The same PDPT entry written again: guest_set_pmd's release, one level up.
        t.add(new SetPud(0, NO, 0x1000, 0x2001));
        long again = t.next();
        t.read(V);
        long clearPmd = t.next();
        t.pmd(0x2010, 0);
        long last = t.next();
        t.read(V);
        LguestTrace.Result r = t.run();

        assertThat(r.all(Remark.class)).singleElement().satisfies(m -> {
            assertThat(m.key()).isEqualTo("generalized");
            assertThat(m.event()).isZero();
        });
        // First read: shadow PMD page and shadow PTE page allocated, one fill.
        assertThat(r.all(ShadowPage.class, p -> p.event() == first)).extracting(ShadowPage::level)
                .containsExactly(2, 1);
        // The PDPT slot set to what it was: the PMD and PTE pages go (2 freed), with the one
        // entry, which still matches the guest: a wasted throw-away.
        assertThat(r.count(ShadowPage.class, p -> p.event() == samePud && !p.allocated())).isEqualTo(2);
        assertThat(r.all(ShadowDiscard.class, d -> d.event() == samePud)).singleElement()
                .satisfies(d -> assertThat(d.stillValid()).isEqualTo(1));
        assertThat(r.all(Flush.class, f -> f.event() == samePud)).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo("shadow_set_pmd");
            assertThat(f.needed()).isFalse();
        });
        // The read faults it all back: 2 pages, and a refill of the identical entry.
        assertThat(r.count(ShadowPage.class, p -> p.event() == again && p.allocated())).isEqualTo(2);
        assertThat(r.all(ShadowFill.class, f -> f.event() == again)).singleElement()
                .satisfies(f -> assertThat(f.refill()).isTrue());
        // The PMD entry cleared: found through the shadow PMD page that shadows guest frame 2;
        // its PTE page goes with the entry, now stale (the guest no longer maps 0x400000).
        assertThat(r.all(ShadowDiscard.class, d -> d.event() == clearPmd)).singleElement()
                .satisfies(d -> assertThat(d.stillValid()).isZero());
        assertThat(r.all(Flush.class, f -> f.event() == clearPmd)).singleElement()
                .satisfies(f -> assertThat(f.needed()).isTrue());
        assertThat(r.all(Fault.class, f -> f.event() == last)).singleElement()
                .satisfies(f -> assertThat(f.kind()).isEqualTo(Fault.Kind.REFLECTED));
    }

    @Test
    void fourLevelShadowsEveryLevelAndHonoursNx() {
        // PML4 at 0x1000 -> PDPT pfn 2 -> PD pfn 4 (index 2, slot 0x4010) -> PT pfn 5.
        // 0x400000 maps frame 0x100 (A|D); 0x401000 maps frame 0x101 with NX.
        LguestTrace t = of(PagingMode.FOUR_LEVEL)
                .cr3(0x1000)
                .add(new SetPgd(0, NO, 0x1000, 0x2067, TraceEvent.NO_ADDRESS))
                .add(new SetPud(0, NO, 0x2000, 0x4067))
                .pmd(0x4010, 0x5067)
                .pteAt(0x1000, V, 0x5000, 0x10_0067)
                .pteAt(0x1000, V + 0x1000, 0x5008, 0x10_1067 | (1L << 63));
        long read = t.next();
        t.read(V);
        long fetch = t.next();
        t.add(new Access(0, NO, V + 0x1000, Access.Kind.FETCH, false));
        LguestTrace.Result r = t.run();

        assertThat(r.all(Remark.class)).hasSize(1);
        // Three shadow pages below the top: PDPT, PD, PT.
        assertThat(r.all(ShadowPage.class, p -> p.event() == read)).extracting(ShadowPage::level)
                .containsExactly(3, 2, 1);
        assertThat(r.all(Fault.class, f -> f.event() == read)).singleElement()
                .satisfies(f -> assertThat(f.kind()).isEqualTo(Fault.Kind.HIDDEN));
        // An instruction fetch from an NX page (EFER.NXE set): the guest's tables forbid it,
        // so it is reflected (error code P=0, I/D=1), never filled.
        assertThat(r.all(Fault.class, f -> f.event() == fetch)).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Fault.Kind.REFLECTED);
            assertThat(f.errorCode()).isEqualTo(0x10);
        });
    }
}
