package dev.mmutrace.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NameIndexTest {

    @Test
    void namesAreNumberedInFirstSeenOrder() {
        NameIndex index = new NameIndex();
        assertThat(index.indexOf("hypercall")).isZero();
        assertThat(index.indexOf("ptwr")).isEqualTo(1);
        assertThat(index.indexOf("hypercall")).isZero();
        assertThat(index.size()).isEqualTo(2);
        assertThat(index.name(1)).isEqualTo("ptwr");
    }

    @Test
    void anEqualNameThatIsAnotherInstanceHasTheSameNumber() {
        NameIndex index = new NameIndex();
        String first = "mmuext_op:" + "PIN_L1_TABLE";
        String again = new String(first);
        assertThat(again).isNotSameAs(first);
        assertThat(index.indexOf(first)).isZero();
        assertThat(index.indexOf(again)).isZero();
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void namesBeyondTheScannedOnesAreFoundByValue() {
        NameIndex index = new NameIndex();
        // 40 names: the first 16 are scanned by reference, all 40 are in the map by value.
        for (int i = 0; i < 40; i++) {
            assertThat(index.indexOf("reason_" + i)).isEqualTo(i);
        }
        assertThat(index.indexOf("reason_" + 39)).isEqualTo(39);
        assertThat(index.indexOf("reason_" + 3)).isEqualTo(3);
        assertThat(index.size()).isEqualTo(40);
    }
}
