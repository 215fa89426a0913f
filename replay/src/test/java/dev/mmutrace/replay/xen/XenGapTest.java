package dev.mmutrace.replay.xen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.replay.observe.Observation;
import dev.mmutrace.replay.observe.UnknownStateWalk;
import dev.mmutrace.replay.observe.ValidationFailure;
import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.Gap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The xen model after a gap (docs/mmu.md, "After a gap"; docs/models/xen.md). */
class XenGapTest {
    private static final long VA = 0x400000L;

    @Test
    void rootIsUnknownAfterAGapUntilTheNextWriteCr3() {
        XenTrace t = XenTrace.fourLevel(2);
        t.tree(0, 20).pin(0, 20).cr3(1, 20);                       // 0..5
        t.add(new Access(1, -1, VA, Access.Kind.READ, true));      // 6: walks from pgd 20
        t.add(Gap.of(1, -1, 100));                                 // 7
        t.add(new Access(1, -1, VA, Access.Kind.READ, true));      // 8: no root known
        t.cr3(1, 20);                                              // 9
        t.add(new Access(1, -1, VA, Access.Kind.READ, true));      // 10: known again
        List<Observation> seen = t.replay();
        // Xen accepted the tree (pinned, then loaded), so only the access between the gap and the
        // next write_cr3 walks from an unknown root. Xen's own base pointer never changed: the
        // second NEW_BASEPTR of the same table is accepted like the first.
        assertThat(XenTrace.only(seen, ValidationFailure.class)).isEmpty();
        assertThat(XenTrace.only(seen, UnknownStateWalk.class)).containsExactly(new UnknownStateWalk(8, 1, VA, -1));
    }
}
