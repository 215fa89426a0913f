package dev.mmutrace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order in which a timing child runs its work, and what it prints (no timing asserted). */
class TimedWorkTest {

    @Test
    void inTurnWarmsUpBothThenTakesTurnsWhoGoesFirstAndPrintsEachTimedRun() {
        List<String> calls = new ArrayList<>();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        TimedWork child = new TimedWork(new PrintStream(printed, true, StandardCharsets.UTF_8), new MachineProbe());
        child.inTurn("jobs 1", () -> calls.add("one"), "jobs 2", () -> calls.add("two"), 1, 4);
        // one warm-up round (first, second), then 4 timed rounds: the first goes first in
        // rounds 0 and 2, the second in rounds 1 and 3; only the timed runs print a line
        assertThat(calls).containsExactly("one", "two", "one", "two", "two", "one", "one", "two", "two", "one");
        List<ChildRuns.Run> runs = ChildRuns.parse("test", printed.toString(StandardCharsets.UTF_8).lines().toList())
                .runs();
        assertThat(runs).extracting(ChildRuns.Run::name)
                .containsExactly("jobs 1", "jobs 2", "jobs 2", "jobs 1", "jobs 1", "jobs 2", "jobs 2", "jobs 1");
    }
}
