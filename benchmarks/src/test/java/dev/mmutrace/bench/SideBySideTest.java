package dev.mmutrace.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Child commands run side by side: what is run, where output goes, how a failure reads (no timing asserted). */
class SideBySideTest {
    @TempDir
    Path dir;

    @Test
    void childrenCpuIsUserPlusSystemOfShsSecondTimesLine() {
        // dash prints "XmY.YYYYYYs" pairs, the shell's line then its children's: 1.5 + 60 + 0.25
        assertThat(SideBySide.childrenCpu("0m0.001000s 0m0.002000s\n1m1.500000s 0m0.250000s\n"))
                .isEqualTo(61.75);
    }

    @Test
    void everyCommandRunsOncePerRoundAndItsOutputGoesToTheScratchDirectory() throws Exception {
        Path counts = dir.resolve("counts");
        // each run appends one line; 1 warm-up + 2 timed rounds = 3 lines
        Child append = Child.of("append", "sh", "-c", "echo run >> " + counts + "; echo out");
        Map<String, Times> times = SideBySide.run(List.of(append, Child.of("true", "true")), new Timing(1, 2), dir);
        assertThat(times).containsOnlyKeys("append", "true");
        assertThat(Files.readAllLines(counts)).hasSize(3);
        assertThat(Files.readString(dir.resolve("child.out"))).isIn("out\n", "");
    }

    @Test
    void aChildRunsWithItsOwnEnvironmentAdded() {
        // the launcher child is given JAVA_HOME this way, so that it runs on the bench's JDK
        Child printing = new Child("env", List.of("sh", "-c", "echo \"$BENCH_CHILD_VALUE\""),
                Map.of("BENCH_CHILD_VALUE", "given"));
        SideBySide.once(printing, dir);
        assertThat(dir.resolve("child.out")).hasContent("given");
    }

    @Test
    void aFailingChildStopsWithItsNameAndItsFirstErrorLine() {
        Child failing = Child.of("failing", "sh", "-c", "echo first >&2; echo second >&2; exit 3");
        assertThatThrownBy(() -> SideBySide.once(failing, dir)).hasMessageStartingWith("failing (sh -c")
                .hasMessageEndingWith("exited with 3: first");
    }
}
