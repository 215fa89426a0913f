package dev.mmutrace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.cli.Mmutrace;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The bench command's decisions with fake measurements (no timing is asserted anywhere): the
 * figures printed with their targets, PASS/MISS, and exit 1 under --enforce only when a target
 * is missed.
 */
class BenchCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** A measurement that returns fixed figures and touches no input. */
    private static Measurement fake(Figure... figures) {
        return Measurement.of("fake", inputs -> List.of(figures));
    }

    /** Runs the bench with {@code args}, and a stand-in launcher and CLI jar that none of the fakes runs. */
    private int run(Measurement m, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--cli", standInLauncher().toString()));
        return runAsGiven(m, all.toArray(String[]::new));
    }

    /** An executable {@code mmutrace} and a {@code mmutrace.jar} beside it in {@code dir}; returns the launcher. */
    private Path standInLauncher() throws IOException {
        Files.writeString(dir.resolve("mmutrace.jar"), "not run");
        Path launcher = Files.writeString(dir.resolve("mmutrace"), "#!/bin/sh\nexit 99\n");
        assertThat(launcher.toFile().setExecutable(true)).isTrue();
        return launcher;
    }

    private int runAsGiven(Measurement m, String... args) {
        CommandLine cl = new CommandLine(new BenchCommand(() -> List.of(m)));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    // 3.0M events/s against a 5M target: 3.0 < 5 is a miss; 0.6 >= 0.5 passes.
    private static final Figure SLOW = Figure.held("native replay", 3_000_000, "events/s", 5_000_000, "fake");
    private static final Figure RATIO = Figure.held("replay / decode", 0.6, "x", 0.5, "fake");

    @Test
    void missedTargetIsExitOneOnlyWithEnforce() throws Exception {
        assertThat(run(fake(SLOW, RATIO), "--quick", "--enforce")).isEqualTo(Mmutrace.EXIT_REGRESSION);
        assertThat(out.toString()).contains("1 of 2 targets missed: native replay");
        assertThat(run(fake(SLOW, RATIO), "--quick")).isEqualTo(Mmutrace.EXIT_OK);
    }

    @Test
    void everyTargetMetIsExitZeroWithEnforce() throws Exception {
        assertThat(run(fake(RATIO, Figure.shown("decode", 1.0, "events/s", "no target")), "--quick", "--enforce"))
                .isEqualTo(Mmutrace.EXIT_OK);
        // only RATIO has a target, so one target is counted
        assertThat(out.toString()).contains("all 1 targets met");
        // --quick times 1 warm-up and 1 run, for a close target too (BenchSettings.quick)
        assertThat(out.toString()).contains("1 warm-up(s), median of 1 run(s) (of 1 for a close target);");
    }

    @Test
    void eachFigureIsPrintedWithItsTargetAndMark() throws Exception {
        run(fake(SLOW, RATIO), "--quick");
        assertThat(out.toString().lines()).anySatisfy(l -> assertThat(l)
                .contains("native replay", "3,000,000", "events/s", ">= 5,000,000", "MISS"));
        assertThat(out.toString().lines()).anySatisfy(l -> assertThat(l)
                .contains("replay / decode", "0.60", ">= 0.50", "PASS"));
    }

    @Test
    void keptInputsStayAndScratchInputsGo() throws Exception {
        Path kept = dir.resolve("inputs");
        run(fake(RATIO), "--quick", "--keep", kept.toString());
        assertThat(kept).isDirectory();
        // a scratch directory is under java.io.tmpdir, named mmutrace-bench*; none is left by this run
        long before;
        try (var s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            before = s.filter(p -> p.getFileName().toString().startsWith("mmutrace-bench")).count();
        }
        run(fake(RATIO), "--quick");
        try (var s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(s.filter(p -> p.getFileName().toString().startsWith("mmutrace-bench")).count())
                    .isEqualTo(before);
        }
    }

    @Test
    void tooFewEventsIsAUsageError() throws Exception {
        assertThat(run(fake(RATIO), "--events", "10")).isEqualTo(Mmutrace.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("--events must be >= 1000, got 10");
    }

    @Test
    void aMissingLauncherIsAUsageErrorNamingIt() {
        Path none = dir.resolve("none");
        assertThat(runAsGiven(fake(RATIO), "--quick", "--cli", none.toString())).isEqualTo(Mmutrace.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains(none + ": no mmutrace launcher there");
    }

    @Test
    void aCliJarWithoutTheLauncherBesideItIsAUsageErrorNamingTheLauncher() throws Exception {
        Path jar = Files.writeString(dir.resolve("mmutrace.jar"), "not run");
        assertThat(runAsGiven(fake(RATIO), "--quick", "--cli", jar.toString())).isEqualTo(Mmutrace.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains(dir.resolve("mmutrace") + ": no mmutrace launcher there");
    }

    @Test
    void theCliJarNamesTheLauncherBesideIt() throws Exception {
        Path launcher = standInLauncher();
        assertThat(runAsGiven(fake(RATIO), "--quick", "--cli", dir.resolve("mmutrace.jar").toString()))
                .isEqualTo(Mmutrace.EXIT_OK);
        assertThat(out.toString()).contains("  cli: " + launcher.toAbsolutePath().normalize() + " (the launcher");
    }

    /**
     * Never idle: the host always sharing one core between the two vCPUs (2 x 7.5 / 15 = 1.00 core),
     * and the guest's load unknown (every reading the same instant).
     */
    private static Readings neverIdle() {
        HostShare shared = new HostShare(2, 0.0075, 0.0150);
        return new Readings() {
            @Override
            public HostShare probe() {
                return shared;
            }

            @Override
            public MachineLoad load() {
                return new MachineLoad(0.10, 1_000, 100, 0);
            }
        };
    }

    /** How many times the bench, given {@code args}, ran a measurement that is never idle. */
    private int attemptsMadeWith(String... args) throws Exception {
        int[] calls = {0};
        Measurement m = Measurement.of("fake", inputs -> {
            calls[0]++;
            return List.of(RATIO);
        });
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--quick", "--cli", standInLauncher().toString()));
        CommandLine cl = new CommandLine(new BenchCommand(() -> List.of(m), BenchCommandTest::neverIdle));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        assertThat(cl.execute(all.toArray(String[]::new))).isEqualTo(Mmutrace.EXIT_OK);
        return calls[0];
    }

    @Test
    void aMeasurementNotIdleIsMadeTwiceByDefaultAndAsOftenAsAttemptsSays() throws Exception {
        assertThat(attemptsMadeWith()).isEqualTo(2);
        assertThat(out.toString()).contains("  attempt 1 of 2: NOT idle (").contains("at most 2 attempt(s)");
        assertThat(attemptsMadeWith("--attempts", "1")).isEqualTo(1);
        assertThat(attemptsMadeWith("--attempts", "3")).isEqualTo(3);
    }

    @Test
    void zeroAttemptsIsAUsageError() throws Exception {
        assertThat(run(fake(RATIO), "--attempts", "0")).isEqualTo(Mmutrace.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("--attempts must be >= 1, got 0");
    }

    @Test
    void theRunSaysWhatMachineItRanOnAndHowBusyItWas() throws Exception {
        run(fake(RATIO), "--quick");
        // read from /proc and the JVM, so only the lines' presence is checked, not their values
        assertThat(out.toString()).contains("  cpu: ", "  memory: ", "  os: ", "  jvm: ", "  cli: ",
                "load average", "whole run: load average");
    }
}
