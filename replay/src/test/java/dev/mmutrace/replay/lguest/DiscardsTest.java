package dev.mmutrace.replay.lguest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DiscardsTest {
    static final long CR3_A = 0x100000;
    static final long CR3_B = 0x200000;
    /** Two shadow PTEs for the same page: frame 0x5000 read-only (P|US|A), and the same writable (+RW|D). */
    static final long RO = 0x5000 | 0x1 | 0x4 | 0x20;
    static final long RW = RO | 0x2 | 0x40;

    @Test
    void aFillOfTheEntryLastDiscardedThereIsARefillOnce() {
        Discards d = new Discards();
        d.discarded(CR3_A, 0x400, RO);
        d.discarded(CR3_B, 0x400, RW);
        // same cr3, page and entry: work redone
        assertThat(d.refills(CR3_A, 0x400, RO)).isTrue();
        // the memory of it went with that fill
        assertThat(d.refills(CR3_A, 0x400, RO)).isFalse();
        // the other cr3 kept its own discard of the page; a different entry is no refill, and it forgets
        assertThat(d.refills(CR3_B, 0x400, RO)).isFalse();
        assertThat(d.refills(CR3_B, 0x400, RW)).isFalse();
    }

    @Test
    void switchingBetweenAddressSpacesKeepsEachOnesDiscards() {
        Discards d = new Discards();
        // interleaved cr3s, and a cr3 asked about before it discarded anything
        assertThat(d.refills(CR3_B, 0x401, RW)).isFalse();
        d.discarded(CR3_A, 0x401, RO);
        d.discarded(CR3_B, 0x401, RW);
        d.discarded(CR3_A, 0x402, RW);
        assertThat(d.refills(CR3_B, 0x401, RW)).isTrue();
        assertThat(d.refills(CR3_A, 0x402, RW)).isTrue();
        assertThat(d.refills(CR3_A, 0x401, RO)).isTrue();
    }
}
