package dev.mmutrace.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Whether a measurement ran on an idle machine, from load readings and probe times worked out by hand. */
class ConditionsTest {
    // 10 s apart; busy ticks grew by 200, all of them this JVM's own (100 -> 300): others 0 cores
    private static final MachineLoad QUIET_FROM = new MachineLoad(0.10, 1_000, 100, 0);
    private static final MachineLoad QUIET_TO = new MachineLoad(0.20, 1_200, 300, 10_000_000_000L);
    // busy grew by 500, this JVM's by 200: 300 ticks = 3 s of cpu over 10 s = 0.3 cores
    private static final MachineLoad BUSY_TO = new MachineLoad(1.50, 1_500, 300, 10_000_000_000L);

    /** The run's fastest probe: 7.5 ms alone, 7.5 ms both at once, 2 cores. */
    private static final HostShare FIRST = new HostShare(2, 0.0075, 0.0075);

    private static Conditions between(MachineLoad to, HostShare before, HostShare after) {
        return Conditions.of(QUIET_FROM, to, List.of(before, after), FIRST);
    }

    /** The run's best machine probe reading so far: 7.6 ms, the chase on a quiet host. */
    private static final OptionalLong RUN_BEST = OptionalLong.of(7_600_000);
    private static final String MACHINE_SLOW = "the machine probe over 1.1x the run's best before more than a third of"
            + " a figure's runs";
    private static final String QUIET_HOST = "load average 0.10 before, 0.20 after; other processes kept 0.00 of 2"
            + " cores busy; host gave 2.00 and 2.00 of 2 cores, one core at 1.00 and 1.00 of the fastest probe's"
            + " speed (probe before, after)";

    /** The machine probe's readings before the runs called {@code runs}, given in ms, held in ns as children print. */
    private static MachineProbeReadings readings(String runs, double... ms) {
        return new MachineProbeReadings(runs, ImmutableList.copyOf(Arrays.stream(ms).mapToObj(m -> Math.round(m * 1e6))
                .toList()));
    }

    /** A quiet guest and host, with {@code machineProbes} judged against the run's best so far, 7.6 ms. */
    private static Conditions quietWith(MachineProbeReadings... machineProbes) {
        return Conditions.of(QUIET_FROM, QUIET_TO, List.of(FIRST, FIRST), FIRST, List.of(machineProbes), RUN_BEST);
    }

    @Test
    void fullCoresAndNoOtherProcessIsIdle() {
        // 2 x 7.5 / 7.6 = 1.97 and 2 x 7.6 / 7.6 = 2.00 cores; speeds 7.5 / 7.5 = 1.00 and 7.5 / 7.6 = 0.99
        Conditions c = between(QUIET_TO, new HostShare(2, 0.0075, 0.0076), new HostShare(2, 0.0076, 0.0076));
        assertThat(c.idle()).isTrue();
        assertThat(c.line()).isEqualTo("load average 0.10 before, 0.20 after; other processes kept 0.00 of 2 cores"
                + " busy; host gave 1.97 and 2.00 of 2 cores, one core at 1.00 and 0.99 of the fastest probe's speed"
                + " (probe before, after): idle");
    }

    @Test
    void theHostGivingTooLittleAtEitherProbeIsNotIdle() {
        // after: 2 x 7.5 / 10 = 1.5 cores, below 0.9 x 2 = 1.8; the guest itself idle
        Conditions c = between(QUIET_TO, FIRST, new HostShare(2, 0.0075, 0.010));
        assertThat(c.idle()).isFalse();
        assertThat(c.notIdleBecause()).containsExactly("the host gave below 1.80 of 2 cores");
        assertThat(c.line()).contains("host gave 2.00 and 1.50 of 2 cores")
                .endsWith(": NOT IDLE (the host gave below 1.80 of 2 cores): figures are lower and ratios less"
                        + " certain than on an idle machine");
    }

    @Test
    void exactlyTheShareNeededIsEnough() {
        // 2 x 0.45 / 0.5 = 1.8 = 0.9 x 2 (both exact doublings of the double nearest 0.9)
        HostShare first = new HostShare(2, 0.45, 0.45);
        HostShare atBound = new HostShare(2, 0.45, 0.5);
        HostShare below = new HostShare(2, 0.44, 0.5); // 1.76; its speed, 0.45 / 0.44 = 1.023, is no fault
        assertThat(Conditions.of(QUIET_FROM, QUIET_TO, List.of(first, atBound), first).idle()).isTrue();
        assertThat(Conditions.of(QUIET_FROM, QUIET_TO, List.of(first, below), first).idle()).isFalse();
    }

    @Test
    void oneCoreSlowerThanAtTheFastestProbeByMoreThanATenthIsNotIdle() {
        // 7.5 / 8.25 = 0.909 (9.1% slower: steady); 7.5 / 8.4 = 0.893 (10.7% slower); 7.5 / 6.75 = 1.111, quicker
        // than the probe given as the fastest, which is no fault of the machine; each both at once as quick as
        // alone: 2 cores
        HostShare steady = new HostShare(2, 0.00825, 0.00825);
        HostShare slow = new HostShare(2, 0.0084, 0.0084);
        HostShare fast = new HostShare(2, 0.00675, 0.00675);
        assertThat(between(QUIET_TO, FIRST, steady).idle()).isTrue();
        assertThat(between(QUIET_TO, FIRST, slow).notIdleBecause())
                .containsExactly("one core slower than at the fastest probe by more than 10%");
        assertThat(between(QUIET_TO, fast, FIRST).idle()).isTrue();
        assertThat(between(QUIET_TO, FIRST, slow).line()).contains("one core at 1.00 and 0.89 of the fastest probe's");
    }

    @Test
    void theFastestProbeIsTheOneWhoseKernelRanQuickestAlone() {
        // alone 8.0, 7.5 and 9.0 ms: the second, whatever the times all at once
        HostShare quickest = new HostShare(2, 0.0075, 0.0150);
        assertThat(HostShare.fastest(List.of(new HostShare(2, 0.0080, 0.0080), quickest,
                new HostShare(2, 0.0090, 0.0090)))).isSameAs(quickest);
    }

    @Test
    void otherProcessesStillMakeItNotIdleWhateverTheHostGave() {
        Conditions c = between(BUSY_TO, FIRST, FIRST);
        assertThat(c.idle()).isFalse();
        assertThat(c.notIdleBecause()).containsExactly("other processes above 0.1 of a core");
        assertThat(c.line()).startsWith("load average 0.10 before, 1.50 after; other processes kept 0.30 of 2 cores");
    }

    @Test
    void everyReasonIsNamed() {
        Conditions c = between(BUSY_TO, FIRST, new HostShare(2, 0.010, 0.020)); // 1.00 core, speed 0.75
        assertThat(c.notIdleBecause()).containsExactly("other processes above 0.1 of a core",
                "the host gave below 1.80 of 2 cores", "one core slower than at the fastest probe by more than 10%");
    }

    @Test
    void anUnknownLoadWithAFullHostIsNeitherIdleNorGivenAReason() {
        MachineLoad unknown = new MachineLoad(-1, -1, -1, 0);
        Conditions c = Conditions.of(unknown, unknown, List.of(FIRST, FIRST), FIRST);
        assertThat(c.idle()).isFalse();
        assertThat(c.notIdleBecause()).isEmpty();
        assertThat(c.line()).endsWith("(probe before, after): unknown whether idle");
    }

    @Test
    void theWholeRunGivesRangesAndHowManyProbesFellShort() {
        // cores 2.00, 1.97 (7.5 / 7.6 x 2), 1.50 (7.5 / 10 x 2), 2.00; speeds 1.00, 1.00, 1.00, 0.75 (7.5 / 10)
        List<HostShare> probes = List.of(FIRST, new HostShare(2, 0.0075, 0.0076), new HostShare(2, 0.0075, 0.010),
                new HostShare(2, 0.010, 0.010));
        Conditions c = Conditions.of(QUIET_FROM, QUIET_TO, probes, FIRST);
        assertThat(c.line()).contains("host gave 1.50-2.00 of 2 cores, one core at 0.75-1.00 of the fastest probe's"
                + " speed (4 probes, 2 of them short of idle): NOT IDLE (the host gave below 1.80 of 2 cores;"
                + " one core slower than at the fastest probe by more than 10%)");
    }

    /** {@code all} readings, the first {@code slow} of 9.0 ms (over 8.36, 1.1x the run's best), the rest 7.6 ms. */
    private static MachineProbeReadings slowBefore(String runs, int slow, int all) {
        return readings(runs, IntStream.range(0, all).mapToDouble(i -> i < slow ? 9.0 : 7.6).toArray());
    }

    @Test
    void theMachineProbeOverATenthAboveTheRunsBestBeforeMoreThanAThirdOfTheRunsIsNotIdle() {
        // bound 1.1 x 7.6 = 8.36 ms: of 7.6, 8.7, 8.8, 8.9, 8.2 the three of 8.7-8.9 are over it, 3 of 5, more
        // than a third (5 / 3 = 1.67) (the 03:05 UTC decode of 7 December: median 8.74 ms against a best of 7.6)
        Conditions c = quietWith(readings("decode runs", 7.6, 8.7, 8.8, 8.9, 8.2));
        assertThat(c.idle()).isFalse();
        assertThat(c.notIdleBecause()).containsExactly(MACHINE_SLOW);
        assertThat(c.line()).isEqualTo(QUIET_HOST + "; machine probe over 1.1x the run's best, 7.6 ms, before 3 of 5"
                + " decode runs: NOT IDLE (" + MACHINE_SLOW + "): figures are lower and ratios less certain than on an"
                + " idle machine");
    }

    @Test
    void aThirdOfTheRunsSlowIsIdleOneMoreIsNot() {
        // the decode's 27 runs (3 JVMs x 9): a third is 9. 9 slow leave the median (the 14th fastest) the 14th of
        // the 18 steady runs: idle. 10 slow make it the 14th of 17: more than a third, not idle. Half was the
        // line before, so 10 (and the 13 of 05:19 UTC on 7 December) counted as idle
        Conditions nine = quietWith(slowBefore("decode runs", 9, 27));
        assertThat(nine.idle()).isTrue();
        assertThat(nine.line()).isEqualTo(QUIET_HOST + "; machine probe over 1.1x the run's best, 7.6 ms, before 9 of"
                + " 27 decode runs: idle");
        Conditions ten = quietWith(slowBefore("decode runs", 10, 27));
        assertThat(ten.idle()).isFalse();
        assertThat(ten.notIdleBecause()).containsExactly(MACHINE_SLOW);
        assertThat(ten.line()).contains("before 10 of 27 decode runs: NOT IDLE (" + MACHINE_SLOW + ")");
        assertThat(quietWith(slowBefore("decode runs", 13, 27)).idle()).isFalse();
        // a figure of 9 runs (3 JVMs x 3): a third is 3; 3 slow leave the median (the 5th) the 5th of 6 steady,
        // 4 make it the 5th of 5, the slowest steady run
        assertThat(quietWith(slowBefore("model runs", 3, 9)).idle()).isTrue();
        assertThat(quietWith(slowBefore("model runs", 4, 9)).idle()).isFalse();
    }

    @Test
    void aFewSlowRunsAreNotEnough() {
        // of 7.6, 7.7, 9.0, 7.8, 9.5, 7.9 two are over 8.36 ms: 2 of 6, a third, not more; of 7.6, 7.7, 9.0, 7.8,
        // 9.5 two of 5, more than a third (5 / 3 = 1.67); of 3 runs one slow is a third, two are more
        Conditions few = quietWith(readings("decode runs", 7.6, 7.7, 9.0, 7.8, 9.5, 7.9));
        assertThat(few.idle()).isTrue();
        assertThat(few.line()).isEqualTo(QUIET_HOST + "; machine probe over 1.1x the run's best, 7.6 ms, before 2 of 6"
                + " decode runs: idle");
        assertThat(quietWith(readings("decode runs", 7.6, 7.7, 9.0, 7.8, 9.5)).idle()).isFalse();
        assertThat(quietWith(readings("batch runs", 7.6, 9.0, 7.7)).idle()).isTrue();
        assertThat(quietWith(readings("batch runs", 9.1, 9.0, 7.7)).idle()).isFalse();
    }

    @Test
    void theReadingsAreJudgedAgainstTheRunsBestNotTheFiguresOwn() {
        // a spell over the whole figure: 8.7, 8.8, 8.9, 8.7, 9.0 ms. Against its own best, 8.7 (bound 9.57), no run
        // is slow; against the run's best, 7.6 (bound 8.36), every one is, 5 of 5
        MachineProbeReadings spell = readings("decode runs", 8.7, 8.8, 8.9, 8.7, 9.0);
        assertThat(spell.slowAgainst(spell.best())).isZero();
        Conditions c = quietWith(spell);
        assertThat(c.notIdleBecause()).containsExactly(MACHINE_SLOW);
        assertThat(c.line()).contains("machine probe over 1.1x the run's best, 7.6 ms, before 5 of 5 decode runs");
    }

    @Test
    void figuresWithoutMachineProbeReadingsGetNoReasonOrWordsFromThem() {
        // a CSV decode measured after the decode: the run has a best reading, this measurement none
        Conditions c = quietWith();
        assertThat(c.idle()).isTrue();
        assertThat(c.line()).isEqualTo(QUIET_HOST + ": idle");
        assertThat(Conditions.of(QUIET_FROM, QUIET_TO, List.of(FIRST, FIRST), FIRST).line()).isEqualTo(c.line());
    }

    @Test
    void everyFigureOfAMeasurementIsJudgedOnItsOwnRuns() {
        // decode runs 7.6, 7.7, 7.8: 0 of 3 over 8.36 ms; model runs 8.4, 8.5, 7.6: 2 of 3, which is enough
        Conditions c = quietWith(readings("decode runs", 7.6, 7.7, 7.8), readings("model runs", 8.4, 8.5, 7.6));
        assertThat(c.notIdleBecause()).containsExactly(MACHINE_SLOW);
        assertThat(c.line()).contains("before 0 of 3 decode runs, 2 of 3 model runs: NOT IDLE");
    }

    @Test
    void theMachineProbeAddsItsReasonToTheOthers() {
        // other processes 0.3 cores (BUSY_TO) and the probe slow before 2 of 3 runs: both named, in that order
        Conditions c = Conditions.of(QUIET_FROM, BUSY_TO, List.of(FIRST, FIRST), FIRST,
                List.of(readings("batch runs", 9.0, 9.1, 7.6)), RUN_BEST);
        assertThat(c.notIdleBecause()).containsExactly("other processes above 0.1 of a core", MACHINE_SLOW);
    }

    @Test
    void readingsNeedTheRunsBestToBeJudgedAgainst() {
        assertThatThrownBy(() -> Conditions.of(QUIET_FROM, QUIET_TO, List.of(FIRST), FIRST,
                List.of(readings("decode runs", 7.6)), OptionalLong.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the run's best reading");
    }
}
