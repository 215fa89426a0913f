package dev.mmutrace.replay.lguest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.trace.PagingMode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The slots a shadow page knows to be in use, and the pages ShadowPages finds by guest frame. */
class ShadowTableTest {

    @Test
    void slotsInUseComeInSlotOrderAcrossWords() {
        ShadowTable t = new ShadowTable(1, 512);
        assertThat(t.nextInUse(0)).isEqualTo(-1);
        // 63 and 64 sit on either side of the first word boundary, 511 is the last slot
        for (int i : new int[] {511, 64, 3, 63}) {
            t.use(i);
        }
        List<Integer> seen = new ArrayList<>();
        for (int i = t.nextInUse(0); i >= 0; i = t.nextInUse(i + 1)) {
            seen.add(i);
        }
        assertThat(seen).containsExactly(3, 63, 64, 511);
        t.release(63);
        assertThat(t.nextInUse(4)).isEqualTo(64);
        assertThat(t.inUse(63)).isFalse();
        assertThat(t.nextInUse(512)).isEqualTo(-1);
    }

    @Test
    void paeTopPageHasFourSlots() {
        ShadowTable t = new ShadowTable(3, 4);
        t.use(3);
        assertThat(t.nextInUse(0)).isEqualTo(3);
        assertThat(t.nextInUse(4)).isEqualTo(-1);
    }

    @Test
    void pagesOfOneGuestFrameAreFoundInTheOrderTheyWereTaken() {
        Paging paging = new Paging(PagingMode.FOUR_LEVEL);
        ShadowPages pages = new ShadowPages(paging);
        Pgdir a = new Pgdir(0);
        Pgdir b = new Pgdir(1);
        Pgdir c = new Pgdir(2);
        // three pgdirs each shadow guest PD frame 0x102 with a level-2 page; one more frame on the side
        ShadowTable pa = pages.allocate(a, 2, 0, 0x102);
        ShadowTable pb = pages.allocate(b, 2, 0, 0x102);
        ShadowTable other = pages.allocate(b, 2, 1L << 30, 0x103);
        ShadowTable pc = pages.allocate(c, 2, 0, 0x102);
        List<ShadowTable> found = new ArrayList<>();
        pages.shadowing(0x102, found);
        assertThat(found).containsExactly(pa, pb, pc);
        // giving back the middle one, then the first, leaves the last; the other frame is untouched
        pages.free(pb);
        pages.free(pa);
        pages.shadowing(0x102, found);
        assertThat(found).containsExactly(pc);
        pages.shadowing(0x103, found);
        assertThat(found).containsExactly(other);
        // a page taken again from the free list joins the end of its new frame's chain
        ShadowTable again = pages.allocate(a, 2, 0, 0x102);
        pages.shadowing(0x102, found);
        assertThat(found).containsExactly(pc, again);
        pages.free(pc);
        pages.free(again);
        pages.shadowing(0x102, found);
        assertThat(found).isEmpty();
        // leaf pages are never listed: set_pmd finds the pages above the leaf only
        pages.allocate(a, 1, 0, 0x104);
        pages.shadowing(0x104, found);
        assertThat(found).isEmpty();
    }
}
