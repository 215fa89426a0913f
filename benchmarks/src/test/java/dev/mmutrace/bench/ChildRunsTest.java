package dev.mmutrace.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the bench reads from its TimedWork children (no timing asserted: the times here are made up). */
class ChildRunsTest {

    @Test
    void runLinesAreReadWithNamesThatHoldSpacesAndOtherLinesAreLeftOut() {
        ChildRuns runs = ChildRuns.parse("decode-and-replay child JVM 1", List.of(
                "OpenJDK 64-Bit Server VM warning: something the JVM says",
                "run decode 60000000 59000000 8000000",
                "run replay, 1 thread 700000000 690000000 9000000"));
        assertThat(runs.runs()).containsExactly(
                new ChildRuns.Run("decode", 60_000_000, 59_000_000, 8_000_000),
                new ChildRuns.Run("replay, 1 thread", 700_000_000, 690_000_000, 9_000_000));
    }

    @Test
    void warmUpLinesAreReadAndGivenAsARangeOverTheChildren() {
        // three children of the decode did 33, 66 and 66 warm-ups: 33-66; the replay's one child said 1
        ChildRuns one = ChildRuns.parse("child 1", List.of("warmups decode 33", "run decode 1 1 1",
                "warmups replay, 1 thread 1"));
        ChildRuns all = one.and(ChildRuns.parse("child 2", List.of("warmups decode 66")))
                .and(ChildRuns.parse("child 3", List.of(ChildRuns.line(new ChildRuns.Warmups("decode", 66)))));
        assertThat(all.warmups()).extracting(ChildRuns.Warmups::count).containsExactly(33, 1, 66, 66);
        assertThat(all.warmupsOf("decode")).isEqualTo("33-66");
        assertThat(all.warmupsOf("replay, 1 thread")).isEqualTo("1");
        assertThat(all.runs()).hasSize(1);
        assertThatThrownBy(() -> all.warmupsOf("batch")).hasMessage("the child JVMs printed no warm-ups of batch");
        assertThatThrownBy(() -> ChildRuns.parse("child 4", List.of("run decode 1 1 1", "warmups decode")))
                .hasMessage("child 4: line 2: warm-ups need a name and a count: warmups decode");
        assertThatThrownBy(() -> ChildRuns.parse("child 5", List.of("warmups decode many")))
                .hasMessageStartingWith("child 5: line 1: ");
    }

    @Test
    void aRunIsReadBackAsTheChildWroteIt() {
        ChildRuns.Run run = new ChildRuns.Run("jobs 2", 612_345_678, 1_000, 17_654_321);
        assertThat(ChildRuns.parse("batch", List.of(ChildRuns.line(run))).runs()).containsExactly(run);
    }

    @Test
    void aBrokenRunLineNamesTheChildAndTheLine() {
        assertThatThrownBy(() -> ChildRuns.parse("batch child JVM 2", List.of("run jobs 1 12 x 3")))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("batch child JVM 2: line 1: ");
        assertThatThrownBy(() -> ChildRuns.parse("decode child JVM 1", List.of("", "run decode 5 6")))
                .hasMessage("decode child JVM 1: line 2: a run needs a name and three times: run decode 5 6");
        assertThatThrownBy(() -> ChildRuns.parse("decode child JVM 1", List.of("run decode 0 6 7")))
                .hasMessageContaining("line 1: times must be positive");
    }

    @Test
    void mediansAreOfTheNamedRunsOnly() {
        // decode walls 50, 70, 60 ms -> median 60 ms; cpus 48, 66, 59 ms -> 59 ms; the xen run is another figure's
        ChildRuns runs = ChildRuns.parse("models", List.of(
                "run decode 50000000 48000000 8000000",
                "run xen 900000000 900000000 8000000",
                "run decode 70000000 66000000 8000000",
                "run decode 60000000 59000000 8000000"));
        assertThat(runs.medians("decode")).isEqualTo(new Times(0.060, 0.059));
        assertThat(runs.named("decode")).hasSize(3);
    }

    @Test
    void runsOfSeveralChildrenAreTakenTogether() {
        // child 1: 10, 30 ms; child 2: 20 ms -> all three, median 20 ms
        ChildRuns one = ChildRuns.parse("1", List.of("run jobs 1 10000000 1 5", "run jobs 1 30000000 1 5"));
        ChildRuns two = ChildRuns.parse("2", List.of("run jobs 1 20000000 1 5"));
        assertThat(one.and(two).medians("jobs 1").wallSeconds()).isEqualTo(0.020);
    }

    @Test
    void aFigureWhoseRunsAreMissingIsAnError() {
        ChildRuns runs = ChildRuns.parse("batch", List.of("run jobs 1 10 1 5"));
        assertThatThrownBy(() -> runs.medians("jobs 2")).hasMessage("the child JVMs printed no run of jobs 2");
    }

    @Test
    void theProbeCountsTheRunsItFoundTheMachineSlowerThanATenthOverItsBest() {
        // probes 8.0, 8.7, 9.0, 12.0 ms: best 8.0, so over 8.8 ms are 9.0 and 12.0 (2 of 4); median (8.7 + 9.0) / 2
        ChildRuns runs = ChildRuns.parse("decode", List.of(
                "run decode 1 1 8000000", "run decode 1 1 8700000", "run decode 1 1 9000000",
                "run decode 1 1 12000000", "run other 1 1 1000000"));
        MachineProbeReadings readings = runs.machineProbe("decode runs", List.of("decode"));
        assertThat(readings.nanos()).containsExactly(8_000_000L, 8_700_000L, 9_000_000L, 12_000_000L);
        assertThat(readings.best()).isEqualTo(8_000_000L);
        Figure probe = readings.figure();
        assertThat(probe.name()).isEqualTo("machine probe, decode runs");
        assertThat(probe.value()).isEqualTo(8.85);
        assertThat(probe.unit()).isEqualTo("ms");
        assertThat(probe.target()).isEmpty();
        assertThat(probe.how()).contains("best 8.0 ms").endsWith("before 2 of 4 runs");
        assertThatThrownBy(() -> runs.machineProbe("jobs runs", List.of("jobs 1"))).hasMessage("no runs of [jobs 1]");
    }

    @Test
    void theProbeIsTooOftenSlowOnlyWhenOverATenthAboveTheGivenBestBeforeMoreThanAThirdOfTheRuns() {
        // readings 8.0, 8.7, 9.0, 12.0 ms. Against 10.0 (bound 11.0): 12.0 only, 1 of 4, under a third (1.33);
        // against 8.0 (bound 8.8): 9.0 and 12.0, 2 of 4, more; against 7.6 (bound 8.36): 8.7, 9.0, 12.0, 3 of 4
        MachineProbeReadings readings = new MachineProbeReadings("decode runs",
                ImmutableList.of(8_000_000L, 8_700_000L, 9_000_000L, 12_000_000L));
        assertThat(readings.slowAgainst(10_000_000)).isEqualTo(1);
        assertThat(readings.tooOftenSlowAgainst(10_000_000)).isFalse();
        assertThat(readings.slowAgainst(8_000_000)).isEqualTo(2);
        assertThat(readings.tooOftenSlowAgainst(8_000_000)).isTrue();
        assertThat(readings.slowAgainst(7_600_000)).isEqualTo(3);
        assertThat(readings.tooOftenSlowAgainst(7_600_000)).isTrue();
        // six runs against 8.0 (bound 8.8): 9.0 and 12.0 over, 2 of 6, exactly a third, not more
        MachineProbeReadings six = new MachineProbeReadings("model runs",
                ImmutableList.of(8_000_000L, 8_700_000L, 9_000_000L, 12_000_000L, 8_100_000L, 8_800_000L));
        assertThat(six.slowAgainst(8_000_000)).isEqualTo(2);
        assertThat(six.tooOftenSlowAgainst(8_000_000)).isFalse();
        // the run's best over several figures: the least of their bests, none without readings
        MachineProbeReadings other = new MachineProbeReadings("model runs",
                ImmutableList.of(7_700_000L, 7_600_000L));
        assertThat(MachineProbeReadings.best(List.of(readings, other))).hasValue(7_600_000L);
        assertThat(MachineProbeReadings.best(List.of())).isEmpty();
    }

    @Test
    void workIsNamedOnTheChildsCommandLineByItsWireName() {
        assertThat(TimedWork.Work.DECODE_AND_REPLAY.wire()).isEqualTo("decode-and-replay");
        for (TimedWork.Work w : TimedWork.Work.values()) {
            assertThat(TimedWork.Work.fromWire(w.wire())).isEqualTo(w);
        }
        assertThatThrownBy(() -> TimedWork.Work.fromWire("decode")).hasMessage("no work named decode");
    }
}
