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
    void manyNamesKeepTheirNumbersAsTheTableGrows() {
        NameIndex index = new NameIndex();
        // 100 names: the table starts with 32 slots and doubles whenever it would be over half full
        for (int i = 0; i < 100; i++) {
            assertThat(index.indexOf("reason_" + i)).isEqualTo(i);
        }
        for (int i = 0; i < 100; i++) {
            assertThat(index.indexOf("reason_" + i)).isEqualTo(i);
            assertThat(index.name(i)).isEqualTo("reason_" + i);
        }
        assertThat(index.size()).isEqualTo(100);
    }

    @Test
    void namesWithTheSameHashCodeAreStillTwoNames() {
        NameIndex index = new NameIndex();
        // "Aa" and "BB" share the hash code 2112 (31 * 'A' + 'a' == 31 * 'B' + 'B')
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        assertThat(index.indexOf("Aa")).isZero();
        assertThat(index.indexOf("BB")).isEqualTo(1);
        assertThat(index.indexOf(new String("BB"))).isEqualTo(1);
        assertThat(index.indexOf("Aa")).isZero();
    }
}
