package dev.mmutrace.report.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ThresholdTest {

    @Test
    void parsesModelMetricDirectionAmountAndUnit() {
        assertThat(Threshold.parse("xen:estimated_cycles=+2.5%"))
                .isEqualTo(new Threshold("xen", "estimated_cycles", true, 2.5, true));
        assertThat(Threshold.parse("flushes.missed=+0"))
                .isEqualTo(new Threshold("", "flushes.missed", true, 0, false));
        assertThat(Threshold.parse("exits.total=-10%"))
                .isEqualTo(new Threshold("", "exits.total", false, 10, true));
        assertThat(Threshold.parse("validation_failures.by_reason.*=+0").toString())
                .isEqualTo("validation_failures.by_reason.*=+0");
    }

    @Test
    void refusesWhatIsNotAThreshold() {
        for (String bad : List.of("flushes.wasted=5%", "flushes.wasted", "=+5%", "flushes.wasted=+x%",
                "flushes.wasted=+5%%")) {
            assertThatThrownBy(() -> Threshold.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("bad threshold '" + bad + "'");
        }
    }

    @Test
    void percentThresholdsCompareTheRelativeChange() {
        Threshold up5 = Threshold.parse("flushes.wasted=+5%");
        // 100 -> 105 is exactly +5%: not more than 5%, so not crossed; 106 is +6%.
        assertThat(up5.crossedBy(100, 105)).isFalse();
        assertThat(up5.crossedBy(100, 106)).isTrue();
        // Decreases never cross an upward threshold.
        assertThat(up5.crossedBy(100, 50)).isFalse();
        // From 0, any increase is an infinite relative change.
        assertThat(up5.crossedBy(0, 1)).isTrue();
        Threshold down10 = Threshold.parse("exits.total=-10%");
        assertThat(down10.crossedBy(100, 91)).isFalse();
        assertThat(down10.crossedBy(100, 89)).isTrue();
    }

    @Test
    void absoluteThresholdsCompareTheDifference() {
        Threshold any = Threshold.parse("validation_failures.total=+0");
        assertThat(any.crossedBy(3, 3)).isFalse();
        assertThat(any.crossedBy(3, 4)).isTrue();
        Threshold hundred = Threshold.parse("exits.total=+100");
        assertThat(hundred.crossedBy(1000, 1100)).isFalse();
        assertThat(hundred.crossedBy(1000, 1101)).isTrue();
    }

    @Test
    void wildcardsAndModelsNarrowWhatAThresholdCovers() {
        Threshold t = Threshold.parse("xen:validation_failures.by_reason.*=+0");
        assertThat(t.covers("xen", "validation_failures.by_reason.bad_l1_flags")).isTrue();
        assertThat(t.covers("lguest", "validation_failures.by_reason.bad_l1_flags")).isFalse();
        assertThat(t.covers("xen", "validation_failures.total")).isFalse();
    }

    @Test
    void aUserThresholdReplacesTheDefaultForTheSameMetric() {
        List<Threshold> in = ReportDiff.thresholds(List.of(Threshold.parse("flushes.wasted=+20%")), true);
        assertThat(in).extracting(Threshold::toString).containsExactly("validation_failures.total=+0",
                "flushes.missed=+0", "exits.total=+5%", "estimated_cycles=+5%", "flushes.wasted=+20%");
        assertThat(ReportDiff.thresholds(List.of(), false)).isEmpty();
    }
}
