package dev.mmutrace.replay.xen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UpperSlotsTest {

    @Test
    void nextVisitsThePresentSlotsInOrderAcrossWords() {
        UpperSlots u = new UpperSlots(512);
        // slots 0, 63 (end of word 0), 64 (start of word 1) and 511 (the last) of table pfn 0x2000
        for (int i : new int[] {511, 64, 0, 63}) {
            u.note(0x2000, i, true);
        }
        assertThat(u.next(0x2000, 0)).isEqualTo(0);
        assertThat(u.next(0x2000, 1)).isEqualTo(63);
        assertThat(u.next(0x2000, 64)).isEqualTo(64);
        assertThat(u.next(0x2000, 65)).isEqualTo(511);
        assertThat(u.next(0x2000, 512)).isEqualTo(-1);
    }

    @Test
    void aClearedSlotIsSkippedAndAnUnknownTableHasNone() {
        UpperSlots u = new UpperSlots(1024);
        u.note(7, 300, true);
        u.note(7, 301, true);
        u.note(7, 300, false);
        assertThat(u.next(7, 0)).isEqualTo(301);
        // clearing a slot of a table never written allocates nothing and finds nothing
        u.note(8, 5, false);
        assertThat(u.next(8, 0)).isEqualTo(-1);
        assertThat(u.next(5000, 0)).isEqualTo(-1);
    }
}
