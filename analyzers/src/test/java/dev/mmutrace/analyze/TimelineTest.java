package dev.mmutrace.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.analyze.Timeline.Column;
import dev.mmutrace.report.Series;
import org.junit.jupiter.api.Test;

class TimelineTest {

    @Test
    void countsGoToTheBucketOfTheirEventInAnyOrder() {
        Timeline t = new Timeline(10);
        t.add(Column.EXITS, 3, 1);
        t.add(Column.EXITS, 9, 1);
        t.add(Column.EXITS, 10, 1);
        // a retry carries its fault's earlier index, after a later event was counted
        t.add(Column.EXITS, 7, 1);
        t.add(Column.FAULTS, 25, 2);
        t.add(Column.FAULTS, 11, 1);
        Series s = t.series(30, 10);
        // buckets [0,10): events 3, 9, 7; [10,20): 10 and the fault at 11; [20,30): 2 faults at 25
        assertThat(s.buckets()).extracting(b -> b.exits()).containsExactly(3L, 1L, 0L);
        assertThat(s.buckets()).extracting(b -> b.faults()).containsExactly(0L, 1L, 2L);
    }

    @Test
    void autoIntervalCoarsensWhileABucketIsBeingFilled() {
        Timeline t = new Timeline(Timeline.AUTO);
        // At interval 1, 128 buckets hold events 0..127; event 128 doubles the interval to 2.
        for (long e = 0; e < 128; e++) {
            t.add(Column.HYPERCALLS, e, 1);
        }
        assertThat(t.interval()).isEqualTo(1);
        t.add(Column.HYPERCALLS, 127, 1);
        t.add(Column.HYPERCALLS, 128, 1);
        assertThat(t.interval()).isEqualTo(2);
        // Event 126 is now in bucket 63 (events 126, 127), which held 1 + 2 and gets one more.
        t.add(Column.HYPERCALLS, 126, 1);
        Series s = t.series(129, 2);
        assertThat(s.buckets()).hasSize(65);
        assertThat(s.buckets().get(0).hypercalls()).isEqualTo(2);
        assertThat(s.buckets().get(63).hypercalls()).isEqualTo(4);
        assertThat(s.buckets().get(64).hypercalls()).isEqualTo(1);
    }

    @Test
    void anEmptyAddNeitherCoarsensNorCounts() {
        Timeline t = new Timeline(Timeline.AUTO);
        t.add(Column.SHADOW_DISCARDED, 5, 3);
        // far past 128 buckets, but with nothing to count: the interval stays 1
        t.add(Column.SHADOW_DISCARDED, 1000, 0);
        assertThat(t.interval()).isEqualTo(1);
        // and inside the current bucket an empty add changes nothing either
        t.add(Column.SHADOW_DISCARDED, 5, 0);
        assertThat(t.series(6, 1).buckets().get(5).shadowDiscarded()).isEqualTo(3);
    }
}
