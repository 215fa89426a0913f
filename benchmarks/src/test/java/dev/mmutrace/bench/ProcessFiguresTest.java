package dev.mmutrace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.bench.ProcessFigures.Contest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many rounds a whole-process figure runs its commands: each command here is a shell that
 * appends one line to a file of its own, so the file's lines count its runs. Nothing is timed.
 */
class ProcessFiguresTest {
    @TempDir
    Path dir;

    /** Two commands that each count their runs, side by side, with a ratio between them. */
    private ProcessFigures counting() {
        Child a = Child.of("a", "sh", "-c", "echo run >> " + dir.resolve("a.runs"));
        Child b = Child.of("b", "sh", "-c", "echo run >> " + dir.resolve("b.runs"));
        return new ProcessFigures("a against b", in -> Contest.of(10, "lines", a, b), Ratio.shown("a", "b"));
    }

    private long runs(String command) throws IOException {
        return Files.readAllLines(dir.resolve(command + ".runs")).size();
    }

    private List<Figure> run(ProcessFigures figures, BenchSettings settings) {
        return figures.run(new BenchInputs(settings, dir, dir.resolve("mmutrace"))).figures();
    }

    @Test
    void aFigureRunsTheSettingsRounds() throws IOException {
        // standard settings: 1 warm-up round and 3 timed, so each command runs 4 times, its median "of 3"
        List<Figure> figures = run(counting(), BenchSettings.standard(1000));
        assertThat(List.of(runs("a"), runs("b"))).containsExactly(4L, 4L);
        assertThat(figures.get(0).how()).startsWith("whole process, median wall ").contains(" s of 3, cpu ");
    }

    @Test
    void aCloseTargetRunsTheLongerRounds() throws IOException {
        // the close rounds of the standard settings: 1 warm-up and 7 timed, 8 runs each, the median "of 7"
        List<Figure> figures = run(counting().overCloseRounds(), BenchSettings.standard(1000));
        assertThat(List.of(runs("a"), runs("b"))).containsExactly(8L, 8L);
        assertThat(figures.get(0).how()).contains(" s of 7, cpu ");
        assertThat(figures.get(1).how()).contains(" s of 7, cpu ");
    }

    @Test
    void quickSettingsRunOnceAfterTheWarmUpEitherWay() throws IOException {
        // --quick: 1 warm-up and 1 timed round for both kinds, 2 runs each
        run(counting().overCloseRounds(), BenchSettings.quick(1000));
        assertThat(List.of(runs("a"), runs("b"))).containsExactly(2L, 2L);
    }
}
