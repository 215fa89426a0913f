package dev.mmutrace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trace.dat figure needs a real capture the bench cannot make: without one it is a MISS of
 * the 3x target that says why, so --enforce cannot pass on a figure that was never measured.
 * Nothing is timed here.
 */
class TraceDatImportTest {
    @TempDir
    Path dir;

    private List<Figure> run(Optional<Path> traceDat) {
        BenchInputs in = new BenchInputs(BenchSettings.quick(1000), dir, dir.resolve("mmutrace"), traceDat);
        return new TraceDatImport().run(in).figures();
    }

    @Test
    void withoutACaptureTheRatioIsAMissSayingWhy() {
        List<Figure> figures = run(Optional.empty());
        assertThat(figures).hasSize(1);
        Figure f = figures.get(0);
        assertThat(f.name()).isEqualTo("convert --from trace-dat / trace-cmd report");
        assertThat(f.target()).contains(new Target(3.0));
        assertThat(f.passes()).isFalse();
        assertThat(f.how()).startsWith("not measured: no --trace-dat FILE given");
    }

    @Test
    void aCaptureThatIsNotThereIsAMissNamingIt() {
        Path gone = dir.resolve("gone.dat");
        Figure f = run(Optional.of(gone)).get(0);
        assertThat(f.passes()).isFalse();
        assertThat(f.how()).startsWith("not measured: " + gone + " is not a file");
    }
}
