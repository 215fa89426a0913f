package dev.mmutrace.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableList;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the bench measures a measurement again: only after an attempt that was not idle, whatever
 * its figures, at most {@code --attempts} times, the last attempt made counting. Fake measurements
 * give fixed figures, and for those timed in child JVMs machine probe readings fixed by hand; fake
 * readings give host probes fixed by hand and a guest whose other processes take nothing, so that
 * only the probes decide idle. Nothing is timed.
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
    /** The verdict's end when every counted attempt was idle against the run's best probes. */
    private static final String IDLE_RUN = "; every measurement idle, each judged against the run's best probes: a run"
            + " on an idle machine";

    /** The verdict's end when {@code notIdle} of {@code measurements} counted attempts were not idle. */
    private static String notIdleRun(int notIdle, int measurements) {
        return "; " + notIdle + " of " + measurements + " measurements NOT idle: not a run on an idle machine";
    }

    /** A measurement that gives one attempt's figures a call, in the order given, and touches no input. */
    private static final class Scripted implements Measurement {
        private final String title;
        private final Iterator<Measured> attempts;
        private int calls;

        /** Attempts whose figures have no machine probe behind them, titled {@code batch}. */
        @SafeVarargs
        Scripted(List<Figure>... attempts) {
            this("batch", List.of(attempts).stream().map(Measured::of).toArray(Measured[]::new));
        }

        /** Attempts with their figures and machine probe readings. */
        Scripted(String title, Measured... attempts) {
            this.title = title;
            this.attempts = List.of(attempts).iterator();
        }

        @Override
        public String title() {
            return title;
        }

        @Override
        public Measured run(BenchInputs inputs) {
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
        return conditions(before, after, "", verdict);
    }

    /** The same, with what the machine probe's readings behind the figures say ({@code ; machine probe ...}). */
    private static String conditions(String before, String after, String machineProbe, String verdict) {
        return "  (load average 0.10 before, 0.10 after; other processes kept 0.00 of 2 cores busy; host gave " + before
                + " and " + after + " of 2 cores, one core at 1.00 and 1.00 of the fastest probe's speed (probe before,"
                + " after)" + machineProbe + ": " + verdict + ")";
    }

    @Test
    void anIdleFirstAttemptIsNotMadeAgain() {
        Scripted batch = new Scripted(List.of(PASS), List.of(LOWER_MISS));
        List<Figure> figures = run(2, new FixedReadings(FULL, FULL), batch);
        assertThat(batch.calls).isEqualTo(1);
        assertThat(figures).containsExactly(PASS);
        assertThat(out.toString()).doesNotContain("attempt").doesNotContain("measured again")
                .contains(conditions("2.00", "2.00", "idle"));
        assertThat(lines()).last().isEqualTo("all 1 targets met" + IDLE_RUN);
    }

    @Test
    void anIdleMissIsNotMadeAgain() {
        // the miss was measured idle: a second attempt could only re-roll the code's own figure
        Scripted batch = new Scripted(List.of(MISS), List.of(PASS));
        List<Figure> figures = run(2, new FixedReadings(FULL, FULL), batch);
        assertThat(batch.calls).isEqualTo(1);
        assertThat(figures).containsExactly(MISS);
        assertThat(out.toString()).doesNotContain("attempt");
        assertThat(lines()).last().isEqualTo("1 of 1 targets missed: speed-up" + IDLE_RUN);
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
                "1 of 1 targets missed: speed-up" + IDLE_RUN);
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
                "the machine was NOT idle during 1 of 1 measurements, each probe judged against its best of the"
                        + " whole run (" + HOST_SHORT + " in 1)" + SUMMARY_TAIL);
        assertThat(lines()).last().isEqualTo("1 of 1 targets missed: speed-up (measured while NOT idle)"
                + EVERY_MISS_NOT_IDLE + notIdleRun(1, 1));
    }

    @Test
    void oneAttemptIsTodaysRunNeverMeasuringAgain() {
        Scripted batch = new Scripted(List.of(PASS), List.of(MISS));
        List<Figure> figures = run(1, new FixedReadings(FULL, SHARED), batch);
        assertThat(batch.calls).isEqualTo(1);
        assertThat(figures).containsExactly(PASS);
        assertThat(out.toString()).doesNotContain("attempt").doesNotContain("measured again")
                .contains("the machine was NOT idle during 1 of 1 measurements");
        assertThat(lines()).last().isEqualTo("all 1 targets met" + notIdleRun(1, 1));
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
        assertThat(lines()).contains("the machine was NOT idle during 1 of 2 measurements, each probe judged against"
                + " its best of the whole run (one core slower than at the fastest probe by more than 10% in 1); 1 of"
                + " them idle against the best probes so far when measured" + SUMMARY_TAIL);
        assertThat(lines()).last().isEqualTo("1 of 2 targets missed: speed-up (measured while NOT idle)"
                + EVERY_MISS_NOT_IDLE + notIdleRun(1, 2));
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
        assertThat(lines()).last().isEqualTo("all 2 targets met" + IDLE_RUN);
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

    // The machine probe behind the figures timed in child JVMs. The decode target, 30M events/s: 33M passes,
    // 29.4M misses (the 03:05 UTC run of 7 December). The host gives FULL throughout and the guest is idle, so
    // only the machine probe's readings decide.
    private static final Figure DECODE_PASS = Figure.held("binary decode", 33_000_000, "events/s", 30_000_000, "fake");
    private static final Figure DECODE_MISS = Figure.held("binary decode", 29_400_000, "events/s", 30_000_000, "fake");
    private static final Figure NATIVE = Figure.held("native replay", 12_000_000, "events/s", 5_000_000, "fake");
    private static final String MACHINE_SLOW = "the machine probe over 1.1x the run's best before more than a third of"
            + " a figure's runs";
    /** The start of what a conditions line says of the machine probe, up to the run's best reading. */
    private static final String MACHINE_PROBE = "; machine probe over 1.1x the run's best, ";

    /** Readings before the runs called {@code runs}, given in tenths of a ms, held in ns as the children print. */
    private static MachineProbeReadings readings(String runs, long... tenthsOfMs) {
        return new MachineProbeReadings(runs, ImmutableList.copyOf(LongStream.of(tenthsOfMs).map(t -> t * 100_000)
                .boxed().toList()));
    }

    /** An attempt's figure and machine probe readings, the readings' own figure shown beside it, as the bench does. */
    private static Measured probed(Figure figure, MachineProbeReadings readings) {
        return Measured.probed(List.of(figure, readings.figure()), readings);
    }

    @Test
    void aDecodeWhoseMachineProbeWasSlowBeforeMoreThanAThirdOfItsRunsIsMadeAgainThoughItPassed() {
        // attempt 1: readings 7.6, 8.7, 8.8 ms, the run's best so far 7.6 (its own: the run's first), bound
        // 1.1 x 7.6 = 8.36: 8.7 and 8.8 over, 2 of 3, more than a third: not idle, made again although 33M passes.
        // attempt 2: 7.5, 7.7, 8.4; the run's best now 7.5, bound 8.25: 8.4 over, 1 of 3: idle, counted (29.4M).
        // The whole run, against 7.5: attempt 1's 8.7 and 8.8 still over (2 of 3), so it says NOT IDLE; the host
        // probes all FULL: 2.00 cores at speed 1.00, none short of idle.
        MachineProbeReadings slow = readings("decode runs", 76, 87, 88);
        MachineProbeReadings quiet = readings("decode runs", 75, 77, 84);
        Scripted decode = new Scripted("binary decode", probed(DECODE_PASS, slow), probed(DECODE_MISS, quiet));
        List<Figure> figures = run(2, new FixedReadings(FULL, FULL, FULL, FULL), decode);
        assertThat(decode.calls).isEqualTo(2);
        assertThat(figures).containsExactly(DECODE_MISS, quiet.figure());
        assertThat(lines()).containsExactly(
                "binary decode",
                BenchRun.line(DECODE_PASS),
                BenchRun.line(slow.figure()),
                conditions("2.00", "2.00", MACHINE_PROBE + "7.6 ms, before 2 of 3 decode runs",
                        "NOT IDLE (" + MACHINE_SLOW + ")" + NOT_IDLE_TAIL),
                "  attempt 1 of 2: NOT idle (" + MACHINE_SLOW + "); measured again",
                BenchRun.line(DECODE_MISS),
                BenchRun.line(quiet.figure()),
                conditions("2.00", "2.00", MACHINE_PROBE + "7.5 ms, before 1 of 3 decode runs",
                        "idle"),
                "  attempt 2 of 2: idle; this attempt counts",
                "whole run: load average 0.10 before, 0.10 after; other processes kept 0.00 of 2 cores busy; host"
                        + " gave 2.00 of 2 cores, one core at 1.00 of the fastest probe's speed (4 probes)"
                        + MACHINE_PROBE + "7.5 ms, before 2 of 3 decode runs, 1 of 3 decode runs: NOT IDLE ("
                        + MACHINE_SLOW + ")" + NOT_IDLE_TAIL,
                "1 of 1 measurements measured again, at most 2 attempts each: 1 attempt set aside as NOT idle when"
                        + " made (" + MACHINE_SLOW + " in 1); the attempt that counts was idle when made in 1 of the 1",
                "1 of 1 targets missed: binary decode" + IDLE_RUN);
    }

    @Test
    void aDecodeMissWithAFewSlowRunsIsNotMadeAgain() {
        // readings 7.6, 7.7, 8.7, 7.8, 7.9 ms: bound 8.36, only 8.7 over, 1 of 5: idle, so the miss stands
        MachineProbeReadings few = readings("decode runs", 76, 77, 87, 78, 79);
        Scripted decode = new Scripted("binary decode", probed(DECODE_MISS, few), probed(DECODE_PASS, few));
        List<Figure> figures = run(2, new FixedReadings(FULL, FULL), decode);
        assertThat(decode.calls).isEqualTo(1);
        assertThat(figures).containsExactly(DECODE_MISS, few.figure());
        assertThat(out.toString()).doesNotContain("attempt").doesNotContain("NOT IDLE");
        assertThat(lines()).contains(conditions("2.00", "2.00", MACHINE_PROBE + "7.6 ms, before 1 of 5 decode runs",
                "idle"));
        assertThat(lines()).last().isEqualTo("1 of 1 targets missed: binary decode" + IDLE_RUN);
    }

    @Test
    void aMeasurementWithoutMachineProbesIsJudgedAsBefore() {
        // the decode as in the first of these tests (slow before 2 of 3 runs, then 1 of 3); the CSV decode after
        // it has no readings, so neither the run's best (7.5 ms) nor the decode's spell enters its line or verdict
        MachineProbeReadings slow = readings("decode runs", 76, 87, 88);
        MachineProbeReadings quiet = readings("decode runs", 75, 77, 84);
        Scripted decode = new Scripted("binary decode", probed(DECODE_PASS, slow), probed(DECODE_MISS, quiet));
        Scripted csv = new Scripted(List.of(CSV), List.of(CSV));
        run(2, new FixedReadings(FULL, FULL, FULL, FULL, FULL, FULL), decode, csv);
        assertThat(List.of(decode.calls, csv.calls)).containsExactly(2, 1);
        List<String> lines = lines();
        assertThat(lines.get(lines.indexOf(BenchRun.line(CSV)) + 1)).isEqualTo(conditions("2.00", "2.00", "idle"));
        assertThat(out.toString()).doesNotContain("the machine was NOT idle during");
    }

    @Test
    void anAttemptIdleWhenMadeIsNotIdleAgainstAFasterMachineProbeFoundLater() {
        // decode: 8.0, 8.1, 8.2 ms, the run's best so far 8.0, bound 8.8: 0 of 3, idle, counted at once (a MISS).
        // models: 7.2, 7.3, 7.4, best now 7.2, bound 7.92: 0 of 3, idle. At the end, against 7.2, the decode's
        // three readings are all over 7.92: 3 of 3, not idle, though idle when measured; nothing was made again
        MachineProbeReadings decodeRuns = readings("decode runs", 80, 81, 82);
        MachineProbeReadings modelRuns = readings("model runs", 72, 73, 74);
        Scripted decode = new Scripted("binary decode", probed(DECODE_MISS, decodeRuns));
        Scripted models = new Scripted("one model on one core", probed(NATIVE, modelRuns));
        run(2, new FixedReadings(FULL, FULL, FULL, FULL), decode, models);
        assertThat(List.of(decode.calls, models.calls)).containsExactly(1, 1);
        assertThat(out.toString()).doesNotContain("measured again");
        assertThat(lines()).contains(
                conditions("2.00", "2.00", MACHINE_PROBE + "8.0 ms, before 0 of 3 decode runs",
                        "idle"),
                conditions("2.00", "2.00", MACHINE_PROBE + "7.2 ms, before 0 of 3 model runs",
                        "idle"),
                "the machine was NOT idle during 1 of 2 measurements, each probe judged against its best of the whole"
                        + " run (" + MACHINE_SLOW + " in 1); 1 of them idle against the best probes so far when"
                        + " measured" + SUMMARY_TAIL);
        assertThat(lines()).anyMatch(l -> l.startsWith("whole run: ") && l.contains("machine probe over 1.1x the run's"
                + " best, 7.2 ms, before 3 of 3 decode runs, 0 of 3 model runs: NOT IDLE"));
        assertThat(lines()).last().isEqualTo("1 of 2 targets missed: binary decode (measured while NOT idle)"
                + EVERY_MISS_NOT_IDLE + notIdleRun(1, 2));
    }
}
