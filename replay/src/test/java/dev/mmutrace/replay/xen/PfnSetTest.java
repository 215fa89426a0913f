package dev.mmutrace.replay.xen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PfnSetTest {

    @Test
    void addAndRemoveSayWhetherTheyChangedTheSet() {
        PfnSet s = new PfnSet();
        assertThat(s.contains(0x1234)).isFalse();
        assertThat(s.add(0x1234)).isTrue();
        assertThat(s.add(0x1234)).isFalse();
        assertThat(s.contains(0x1234)).isTrue();
        // a neighbour in the same 64-bit word is a different frame
        assertThat(s.contains(0x1235)).isFalse();
        assertThat(s.remove(0x1235)).isFalse();
        assertThat(s.remove(0x1234)).isTrue();
        assertThat(s.remove(0x1234)).isFalse();
        assertThat(s.contains(0x1234)).isFalse();
    }
}
