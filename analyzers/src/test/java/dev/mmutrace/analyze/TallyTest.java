package dev.mmutrace.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TallyTest {

    @Test
    void aTallyAddsUpEqualNamesAndListsThemSorted() {
        Tally t = new Tally();
        t.add("not_owned", 1);
        t.add("bad_l1_flags", 2);
        t.add(new String("not_owned"), 3);
        t.add("never_counted", 0);
        // 1 + 3 for not_owned; a name added with 0 is still listed, as a computeIfAbsent map did
        assertThat(t.toMap()).containsExactly(Map.entry("bad_l1_flags", 2L), Map.entry("never_counted", 0L),
                Map.entry("not_owned", 4L));
    }

    @Test
    void namesBeyondTheRecentOnesAndOtherInstancesOfThemAllCount() {
        Tally t = new Tally();
        // twelve names, more than the eight looked up by identity, each added once as a constant-like
        // instance and once as another instance of the same text, then the first again: a0 3+3+1, a1..a11 3+3
        String[] names = new String[12];
        for (int i = 0; i < names.length; i++) {
            names[i] = ("a" + i).intern();
        }
        for (String name : names) {
            t.add(name, 3);
        }
        for (String name : names) {
            t.add(new String(name), 3);
        }
        t.add(names[0], 1);
        Map<String, Long> counts = t.toMap();
        assertThat(counts).hasSize(12);
        assertThat(counts.get("a0")).isEqualTo(7L);
        for (int i = 1; i < names.length; i++) {
            assertThat(counts.get("a" + i)).isEqualTo(6L);
        }
    }
}
