package dev.mmutrace.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimingTest {

    @Test
    void alternateWarmsUpBothThenTakesTurnsWhoGoesFirst() {
        List<String> calls = new ArrayList<>();
        new Timing(1, 3).alternate(() -> calls.add("one"), () -> calls.add("two"), 4);
        // one warm-up round (first, second), then 4 timed rounds: the first goes first in
        // rounds 0 and 2, the second in rounds 1 and 3
        assertThat(calls).containsExactly("one", "two", "one", "two", "two", "one", "one", "two", "two", "one");
    }

    @Test
    void alternateRefusesNoRounds() {
        assertThatThrownBy(() -> new Timing(0, 1).alternate(() -> { }, () -> { }, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
