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
                () -> new JvmReading(new YoungGeneration(0, 0), 0));
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
        Iterator<JvmReading> heap = List.of(young(0, 95), young(1, 190), young(1, 190), young(2, 190),
                young(3, 190), young(9, 9)).iterator();
        List<String> calls = new ArrayList<>();
        List<String> lines = timed(heap, "decode", WarmupRule.heapSettled(2, 100), 2, calls);
        assertThat(calls).hasSize(6);
        assertThat(heap.next()).isEqualTo(young(9, 9));
        assertThat(lines.get(0)).isEqualTo("warmups decode 4");
        ChildRuns parsed = ChildRuns.parse("test", lines);
        assertThat(parsed.warmupsOf("decode")).isEqualTo("4");
        assertThat(parsed.runs()).extracting(ChildRuns.Run::name).containsExactly("decode", "decode");
    }

    @Test
    void aModelWarmsUpUntilTheJitIsQuietThenSaysHowOftenBeforeItsRuns() {
        // compilation ms so far before the first warm-up and after each: 300, 700 (400 in warm-up 1), 780 (80),
        // 785 (5, quiet, eden held at 110 MB): done after 3 warm-ups, then the 3 timed runs
        Iterator<JvmReading> jvm = List.of(jit(300), jit(700), jit(780), jit(785), jit(999)).iterator();
        List<String> calls = new ArrayList<>();
        List<String> lines = timed(jvm, "xen", WarmupRule.jitQuiet(1, 12), 3, calls);
        assertThat(calls).hasSize(6);
        assertThat(jvm.next()).isEqualTo(jit(999));
        assertThat(lines.get(0)).isEqualTo("warmups xen 3");
        assertThat(ChildRuns.parse("test", lines).named("xen")).hasSize(3);
    }

    /** The lines a child prints timing {@code name} under {@code rule}, each run of it added to {@code calls}. */
    private static List<String> timed(Iterator<JvmReading> jvm, String name, WarmupRule rule, int runs,
            List<String> calls) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        TimedWork child = new TimedWork(new PrintStream(printed, true, StandardCharsets.UTF_8), new MachineProbe(),
                jvm::next);
        child.time(name, rule, runs, () -> calls.add(name));
        return printed.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static JvmReading young(long collections, long mb) {
        return new JvmReading(new YoungGeneration(collections, mb << 20), 0);
    }

    private static JvmReading jit(long compilationMillis) {
        return new JvmReading(new YoungGeneration(0, 110L << 20), compilationMillis);
    }
}
