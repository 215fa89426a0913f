package dev.mmutrace.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BenchRunTest {

    @Test
    void aTargetIsMetAtItsBoundAndAbove() {
        // targets are lower bounds: 0.5x exactly meets ">= 0.5"
        assertThat(new Target(0.5).metBy(0.5)).isTrue();
        assertThat(new Target(0.5).metBy(0.4999)).isFalse();
        assertThat(Figure.shown("decode", 0, "events/s", "").passes()).isTrue();
    }

    @Test
    void targetsMustBePositive() {
        assertThatThrownBy(() -> new Target(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void medianOfOddAndEvenCounts() {
        // sorted 1, 2, 9 -> 2; sorted 1, 2, 3, 9 -> (2 + 3) / 2
        assertThat(Timing.median(new double[] {9, 1, 2})).isEqualTo(2.0);
        assertThat(Timing.median(new double[] {9, 3, 1, 2})).isEqualTo(2.5);
    }

    @Test
    void timingRunsWarmupsThenTimedRuns() {
        int[] calls = {0};
        new Timing(2, 3).medianSeconds(() -> calls[0]++);
        assertThat(calls[0]).isEqualTo(5);
    }

    @Test
    void verdictNamesTheMissedFigures() {
        Figure pass = Figure.held("csv", 2_000_000, "rows/s", 1_500_000, "");
        Figure miss = Figure.held("lguest replay", 1_000_000, "events/s", 2_000_000, "");
        Figure info = Figure.shown("wc -l", 9, "lines/s", "");
        assertThat(BenchRun.verdict(List.of(pass, info), List.of(), Optional.empty()))
                .isEqualTo("all 1 targets met");
        assertThat(BenchRun.verdict(List.of(pass, miss, info), List.of(), Optional.empty()))
                .isEqualTo("1 of 2 targets missed: lguest replay");
        assertThat(BenchRun.missed(List.of(pass, miss, info))).containsExactly(miss);
    }

    @Test
    void verdictSaysWhichMissesWereMeasuredWhileNotIdle() {
        Figure pass = Figure.held("csv", 2_000_000, "rows/s", 1_500_000, "");
        Figure batch = Figure.held("batch speed-up", 1.5, "x", 1.7, "");
        Figure convert = Figure.held("convert / mawk", 0.4, "x", 0.5, "");
        // the pass measured while not idle changes nothing; only batch's miss was
        assertThat(BenchRun.verdict(List.of(pass, batch, convert), List.of(pass, batch), Optional.empty()))
                .isEqualTo("2 of 3 targets"
                + " missed: batch speed-up (measured while NOT idle), convert / mawk; 1 of the misses measured while"
                + " the machine was NOT idle");
        assertThat(BenchRun.verdict(List.of(pass, batch), List.of(batch), Optional.empty()))
                .isEqualTo("1 of 2 targets missed:"
                + " batch speed-up (measured while NOT idle); every miss was measured while the machine was NOT"
                + " idle: measure again on an idle machine before calling it the code's");
        assertThat(BenchRun.verdict(List.of(pass, batch), List.of(pass), Optional.empty()))
                .isEqualTo("1 of 2 targets missed:"
                + " batch speed-up");
    }

    @Test
    void verdictSaysWhetherEveryMeasurementWasIdle() {
        Figure pass = Figure.held("csv", 2_000_000, "rows/s", 1_500_000, "");
        Figure batch = Figure.held("batch speed-up", 1.5, "x", 1.7, "");
        // 12 measurements, none NOT idle against the run's best probes: the run qualifies and says so
        assertThat(BenchRun.verdict(List.of(pass), List.of(), Optional.of(new BenchRun.Idleness(12, 0))))
                .isEqualTo("all 1 targets met; every measurement idle, each judged against the run's best probes:"
                        + " a run on an idle machine");
        // all met, but 1 of 12 (the memory figure, say) NOT idle: met, yet not a run on an idle machine
        assertThat(BenchRun.verdict(List.of(pass), List.of(), Optional.of(new BenchRun.Idleness(12, 1))))
                .isEqualTo("all 1 targets met; 1 of 12 measurements NOT idle: not a run on an idle machine");
        // a miss measured idle, everything idle: the miss is the code's, and the clause says the machine was idle
        assertThat(BenchRun.verdict(List.of(pass, batch), List.of(), Optional.of(new BenchRun.Idleness(2, 0))))
                .isEqualTo("1 of 2 targets missed: batch speed-up; every measurement idle, each judged against the"
                        + " run's best probes: a run on an idle machine");
        assertThatThrownBy(() -> new BenchRun.Idleness(2, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BenchRun.Idleness(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void notIdleSummaryCountsEachReason() {
        // three measurements not idle of 12: the host in two of them, other processes in two (one both)
        List<List<String>> busy = List.of(List.of("the host gave below 1.80 of 2 cores"),
                List.of("other processes above 0.1 of a core", "the host gave below 1.80 of 2 cores"),
                List.of("other processes above 0.1 of a core"));
        assertThat(BenchRun.notIdleSummary(busy, 12, 0)).isEqualTo("the machine was NOT idle during 3 of 12"
                + " measurements, each probe judged against its best of the whole run (the host gave below 1.80 of 2"
                + " cores in 2; other processes above 0.1 of a core in 2):"
                + " their figures say what this machine gave under that load, not what it can do");
    }

    @Test
    void numbersAreGroupedLargeAndTwoDecimalsSmall() {
        assertThat(BenchRun.number(5_123_456.7, "events/s")).isEqualTo("5,123,457");
        assertThat(BenchRun.number(0.256, "x")).isEqualTo("0.26");
        assertThat(BenchRun.number(0.00325, "x")).isEqualTo("0.0033");
        assertThat(BenchRun.number(30, "frames")).isEqualTo("30");
        assertThat(BenchRun.number(1, "yes/no")).isEqualTo("yes");
        assertThat(BenchRun.number(0, "yes/no")).isEqualTo("no");
    }
}
