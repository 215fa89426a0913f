package dev.mmutrace.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
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
        assertThat(BenchRun.verdict(List.of(pass, info))).isEqualTo("all 1 targets met");
        assertThat(BenchRun.verdict(List.of(pass, miss, info))).isEqualTo("1 of 2 targets missed: lguest replay");
        assertThat(BenchRun.missed(List.of(pass, miss, info))).containsExactly(miss);
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
