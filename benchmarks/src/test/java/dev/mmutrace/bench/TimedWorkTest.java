package dev.mmutrace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order in which a timing child runs its work, and what it prints (no timing asserted). */
class TimedWorkTest {

    @Test
    void inTurnWarmsUpBothThenTakesTurnsWhoGoesFirstAndPrintsEachTimedRun() {
        List<String> calls = new ArrayList<>();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        TimedWork child = new TimedWork(new PrintStream(printed, true, StandardCharsets.UTF_8), new MachineProbe(),
                () -> new YoungGeneration(0, 0));
        child.inTurn("jobs 1", () -> calls.add("one"), "jobs 2", () -> calls.add("two"), 1, 4);
        // one warm-up round (first, second), then 4 timed rounds: the first goes first in
        // rounds 0 and 2, the second in rounds 1 and 3; only the timed runs print a line
        assertThat(calls).containsExactly("one", "two", "one", "two", "two", "one", "one", "two", "two", "one");
        List<ChildRuns.Run> runs = ChildRuns.parse("test", printed.toString(StandardCharsets.UTF_8).lines().toList())
                .runs();
        assertThat(runs).extracting(ChildRuns.Run::name)
                .containsExactly("jobs 1", "jobs 2", "jobs 2", "jobs 1", "jobs 1", "jobs 2", "jobs 2", "jobs 1");
    }

    @Test
    void aFigureWarmsUpUntilItsRuleSaysTheHeapSettledThenSaysHowOftenBeforeItsRuns() {
        // readings before the first warm-up and after each: 95 MB; collection 1 grows it to 190 (warm-up 1), 2
        // leaves it (warm-up 3), 3 leaves it (warm-up 4): two since the growth after warm-up 4, and the least is
        // 2, so 4 warm-ups, then the 2 timed runs; the reading after the last warm-up is the last one taken
        Iterator<YoungGeneration> heap = List.of(young(0, 95), young(1, 190), young(1, 190), young(2, 190),
                young(3, 190), young(9, 9)).iterator();
        List<String> calls = new ArrayList<>();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        TimedWork child = new TimedWork(new PrintStream(printed, true, StandardCharsets.UTF_8), new MachineProbe(),
                heap::next);
        child.time("decode", new WarmupRule(2, 100), 2, () -> calls.add("decode"));
        assertThat(calls).hasSize(6);
        assertThat(heap.next()).isEqualTo(young(9, 9));
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).isEqualTo("warmups decode 4");
        ChildRuns parsed = ChildRuns.parse("test", lines);
        assertThat(parsed.warmupsOf("decode")).isEqualTo("4");
        assertThat(parsed.runs()).extracting(ChildRuns.Run::name).containsExactly("decode", "decode");
    }

    private static YoungGeneration young(long collections, long mb) {
        return new YoungGeneration(collections, mb << 20);
    }
}
