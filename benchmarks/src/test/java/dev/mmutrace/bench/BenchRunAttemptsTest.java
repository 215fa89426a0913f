package dev.mmutrace.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the bench measures a measurement again: only after an attempt that was not idle, whatever
 * its figures, at most {@code --attempts} times, the last attempt made counting. Fake measurements
 * give fixed figures; fake readings give host probes fixed by hand and a guest whose other
 * processes take nothing, so that only the probes decide idle. Nothing is timed.
 */
class BenchRunAttemptsTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();

    /** The host at its best: 7.5 ms alone and all at once on 2 threads: 2 x 7.5 / 7.5 = 2.00 cores, speed 1.00. */
    private static final HostShare FULL = new HostShare(2, 0.0075, 0.0075);
    /** The two vCPUs on one core: 2 x 7.5 / 15 = 1.00 core, below 0.9 x 2 = 1.8; speed 7.5 / 7.5 = 1.00. */
    private static final HostShare SHARED = new HostShare(2, 0.0075, 0.0150);
    /** Both vCPUs slow: 2.00 cores, but one core at 7.5 / 10 = 0.75 of FULL's speed, more than a tenth slower. */
    private static final HostShare SLOW = new HostShare(2, 0.0100, 0.0100);

    // the batch speed-up's target, 1.7x: 1.9 passes, 1.5 and 1.4 miss
    private static final Figure PASS = Figure.held("speed-up", 1.9, "x", 1.7, "fake");
    private static final Figure MISS = Figure.held("speed-up", 1.5, "x", 1.7, "fake");
    private static final Figure LOWER_MISS = Figure.held("speed-up", 1.4, "x", 1.7, "fake");
    private static final Figure CSV = Figure.held("csv", 2_000_000, "rows/s", 1_500_000, "fake");

    private static final String HOST_SHORT = "the host gave below 1.80 of 2 cores";
    private static final String NOT_IDLE_TAIL = ": figures are lower and ratios less certain than on an idle machine";
    private static final String SUMMARY_TAIL = ": their figures say what this machine gave under that load, not what it"
            + " can do";
    private static final String EVERY_MISS_NOT_IDLE = "; every miss was measured while the machine was NOT idle:"
            + " measure again on an idle machine before calling it the code's";

    /** A measurement that gives one attempt's figures a call, in the order given, and touches no input. */
    private static final class Scripted implements Measurement {
        private final Iterator<List<Figure>> attempts;
        private int calls;

        @SafeVarargs
        Scripted(List<Figure>... attempts) {
            this.attempts = List.of(attempts).iterator();
        }

        @Override
        public String title() {
            return "batch";
        }

        @Override
        public List<Figure> run(BenchInputs inputs) {
            calls++;
            return attempts.next();
        }
    }

    /**
     * The probes in the order given (an attempt takes one before and one after its figures), and the
     * guest's load read k seconds into the run at its k-th reading, every busy tick the bench's own
     * (busy 1000 + 100k, own 100k ticks): other processes 0 cores, idle, load average 0.10.
     */
    private static final class FixedReadings implements Readings {
        private final Iterator<HostShare> probes;
        private long loads;

        FixedReadings(HostShare... probes) {
            this.probes = List.of(probes).iterator();
        }

        @Override
        public HostShare probe() {
            return probes.next();
        }

        @Override
        public MachineLoad load() {
            loads++;
            return new MachineLoad(0.10, 1_000 + 100 * loads, 100 * loads, loads * 1_000_000_000L);
        }

        boolean allProbesTaken() {
            return !probes.hasNext();
        }
    }

    private List<Figure> run(int attempts, FixedReadings readings, Measurement... measurements) {
        List<Figure> figures = new BenchRun(List.of(measurements), new PrintWriter(out, true), attempts, readings)
                .run(new BenchInputs(BenchSettings.quick(1000), dir, dir.resolve("mmutrace")));
        assertThat(readings.allProbesTaken()).as("every scripted probe taken: as many attempts as worked out").isTrue();
        return figures;
    }

    private List<String> lines() {
        return out.toString().lines().toList();
    }

    /** The line after an attempt whose probes gave {@code before} and {@code after} cores, the guest idle. */
    private static String conditions(String before, String after, String verdict) {
        return "  (load average 0.10 before, 0.10 after; other processes kept 0.00 of 2 cores busy; host gave " + before
                + " and " + after + " of 2 cores, one core at 1.00 and 1.00 of the fastest probe's speed (probe before,"
                + " after): " + verdict + ")";
    }

    @Test
    void anIdleFirstAttemptIsNotMadeAgain() {
        Scripted batch = new Scripted(List.of(PASS), List.of(LOWER_MISS));
        List<Figure> figures = run(2, new FixedReadings(FULL, FULL), batch);
        assertThat(batch.calls).isEqualTo(1);
        assertThat(figures).containsExactly(PASS);
        assertThat(out.toString()).doesNotContain("attempt").doesNotContain("measured again")
                .contains(conditions("2.00", "2.00", "idle"));
        assertThat(lines()).last().isEqualTo("all 1 targets met");
    }

    @Test
    void anIdleMissIsNotMadeAgain() {
        // the miss was measured idle: a second attempt could only re-roll the code's own figure
        Scripted batch = new Scripted(List.of(MISS), List.of(PASS));
        List<Figure> figures = run(2, new FixedReadings(FULL, FULL), batch);
        assertThat(batch.calls).isEqualTo(1);
        assertThat(figures).containsExactly(MISS);
        assertThat(out.toString()).doesNotContain("attempt");
        assertThat(lines()).last().isEqualTo("1 of 1 targets missed: speed-up");
    }

    @Test
    void aPassNotIdleIsMadeAgainAndTheIdleMissAfterItCounts() {
        // attempt 1: probes FULL then SHARED (1.00 core after): not idle, so made again although it passed;
        // attempt 2: FULL, FULL: idle, counted, its 1.5x miss the verdict's. Loads: the run's start is
        // reading 1, attempt 1 reads 2 and 3, attempt 2 reads 4 and 5, the run's end 6: others 0 throughout.
        // The whole run: 4 probes, cores 2.00, 1.00, 2.00, 2.00 (one short of idle), speeds all 1.00.
        Scripted batch = new Scripted(List.of(PASS), List.of(MISS));
        List<Figure> figures = run(2, new FixedReadings(FULL, SHARED, FULL, FULL), batch);
        assertThat(batch.calls).isEqualTo(2);
        assertThat(figures).containsExactly(MISS);
        assertThat(lines()).containsExactly(
                "batch",
                BenchRun.line(PASS),
                conditions("2.00", "1.00", "NOT IDLE (" + HOST_SHORT + ")" + NOT_IDLE_TAIL),
                "  attempt 1 of 2: NOT idle (" + HOST_SHORT + "); measured again",
                BenchRun.line(MISS),
                conditions("2.00", "2.00", "idle"),
                "  attempt 2 of 2: idle; this attempt counts",
                "whole run: load average 0.10 before, 0.10 after; other processes kept 0.00 of 2 cores busy; host"
                        + " gave 1.00-2.00 of 2 cores, one core at 1.00 of the fastest probe's speed (4 probes, 1 of"
                        + " them short of idle): NOT IDLE (" + HOST_SHORT + ")" + NOT_IDLE_TAIL,
                "1 of 1 measurements measured again, at most 2 attempts each: 1 attempt set aside as NOT idle when"
                        + " made (" + HOST_SHORT + " in 1); the attempt that counts was idle when made in 1 of the 1",
                "1 of 1 targets missed: speed-up");
    }

    @Test
    void aNotIdleAttemptIsMadeAgainUpToTheLimitAndTheLastCounts() {
        // every attempt FULL then SHARED: none idle, so three attempts and the third (1.4x) counts, marked
        Scripted batch = new Scripted(List.of(MISS), List.of(PASS), List.of(LOWER_MISS));
        List<Figure> figures = run(3, new FixedReadings(FULL, SHARED, FULL, SHARED, FULL, SHARED), batch);
        assertThat(batch.calls).isEqualTo(3);
        assertThat(figures).containsExactly(LOWER_MISS);
        assertThat(lines()).contains(
                "  attempt 1 of 3: NOT idle (" + HOST_SHORT + "); measured again",
                "  attempt 2 of 3: NOT idle (" + HOST_SHORT + "); measured again",
                "  attempt 3 of 3: NOT idle (" + HOST_SHORT + "); the last allowed, so this attempt counts",
                "1 of 1 measurements measured again, at most 3 attempts each: 2 attempts set aside as NOT idle when"
                        + " made (" + HOST_SHORT + " in 2); the attempt that counts was idle when made in 0 of the 1",
                "the machine was NOT idle during 1 of 1 measurements, one core's speed judged against the run's"
                        + " fastest probe (" + HOST_SHORT + " in 1)" + SUMMARY_TAIL);
        assertThat(lines()).last().isEqualTo("1 of 1 targets missed: speed-up (measured while NOT idle)"
                + EVERY_MISS_NOT_IDLE);
    }

    @Test
    void oneAttemptIsTodaysRunNeverMeasuringAgain() {
        Scripted batch = new Scripted(List.of(PASS), List.of(MISS));
        List<Figure> figures = run(1, new FixedReadings(FULL, SHARED), batch);
        assertThat(batch.calls).isEqualTo(1);
        assertThat(figures).containsExactly(PASS);
        assertThat(out.toString()).doesNotContain("attempt").doesNotContain("measured again")
                .contains("the machine was NOT idle during 1 of 1 measurements");
        assertThat(lines()).last().isEqualTo("all 1 targets met");
    }

    @Test
    void anAttemptIdleWhenMadeButSlowAgainstALaterFasterProbeIsNotIdleInTheSummary() {
        // batch's probes are both SLOW, the fastest so far: speed 1.00, idle, counted at once. csv's are FULL,
        // and against FULL batch's one core ran at 0.75: not idle at the end, though idle when measured
        Scripted batch = new Scripted(List.of(MISS));
        Scripted csv = new Scripted(List.of(CSV));
        run(2, new FixedReadings(SLOW, SLOW, FULL, FULL), batch, csv);
        assertThat(batch.calls).isEqualTo(1);
        assertThat(csv.calls).isEqualTo(1);
        assertThat(out.toString()).doesNotContain("measured again");
        assertThat(lines()).contains("the machine was NOT idle during 1 of 2 measurements, one core's speed judged"
                + " against the run's fastest probe (one core slower than at the fastest probe by more than 10% in 1);"
                + " 1 of them idle against the fastest probe so far when measured" + SUMMARY_TAIL);
        assertThat(lines()).last().isEqualTo("1 of 2 targets missed: speed-up (measured while NOT idle)"
                + EVERY_MISS_NOT_IDLE);
    }

    @Test
    void onlyTheMeasurementsNotIdleAreMeasuredAgainAndEachReasonIsCounted() {
        // batch: FULL, SHARED (host short) then FULL, FULL (idle); csv: FULL, SLOW (0.75 of FULL: too slow) then
        // FULL, FULL (idle); a third, FULL, FULL, idle at once. 2 of 3 measured again, 2 attempts set aside.
        Scripted batch = new Scripted(List.of(MISS), List.of(PASS));
        Scripted csv = new Scripted(List.of(CSV), List.of(CSV));
        Scripted third = new Scripted(List.of(Figure.shown("wc -l", 9, "lines/s", "fake")));
        List<Figure> figures = run(2, new FixedReadings(FULL, SHARED, FULL, FULL, FULL, SLOW, FULL, FULL, FULL, FULL),
                batch, csv, third);
        assertThat(List.of(batch.calls, csv.calls, third.calls)).containsExactly(2, 2, 1);
        assertThat(figures).containsExactly(PASS, CSV, Figure.shown("wc -l", 9, "lines/s", "fake"));
        assertThat(lines()).contains("2 of 3 measurements measured again, at most 2 attempts each: 2 attempts set"
                + " aside as NOT idle when made (" + HOST_SHORT + " in 1; one core slower than at the fastest probe by"
                + " more than 10% in 1); the attempt that counts was idle when made in 2 of the 2");
        assertThat(out.toString()).doesNotContain("the machine was NOT idle during");
        assertThat(lines()).last().isEqualTo("all 2 targets met");
    }

    @Test
    void aMeasurementNeedsAtLeastOneAttempt() {
        assertThatThrownBy(() -> new BenchRun(List.of(), new PrintWriter(out), 0, new FixedReadings()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one attempt, got 0");
    }

    @Test
    void eachDiscardedAttemptSaysWhyWithEveryReason() {
        // a stretch with all three reasons: others 0.3 cores (busy +500, own +200 ticks over 10 s), and an
        // after-probe of 1.00 core at 0.75 of the fastest's speed
        MachineLoad from = new MachineLoad(0.10, 1_000, 100, 0);
        MachineLoad to = new MachineLoad(1.50, 1_500, 300, 10_000_000_000L);
        Conditions c = Conditions.of(from, to, List.of(FULL, new HostShare(2, 0.010, 0.020)), FULL);
        assertThat(BenchRun.attemptLine(1, 2, c)).isEqualTo("  attempt 1 of 2: NOT idle (other processes above 0.1"
                + " of a core; " + HOST_SHORT + "; one core slower than at the fastest probe by more than 10%);"
                + " measured again");
        // the guest's load unreadable: not idle, with no reason but that
        MachineLoad unknown = new MachineLoad(-1, -1, -1, 0);
        Conditions u = Conditions.of(unknown, unknown, List.of(FULL, FULL), FULL);
        assertThat(BenchRun.attemptLine(2, 2, u)).isEqualTo("  attempt 2 of 2: NOT idle (the guest's load unknown);"
                + " the last allowed, so this attempt counts");
    }

    @Test
    void aRunOfNoMeasurementsTakesNoProbe() {
        List<Figure> figures = run(2, new FixedReadings());
        assertThat(figures).isEmpty();
        assertThat(lines()).containsExactly("all 0 targets met");
    }
}
