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
}
