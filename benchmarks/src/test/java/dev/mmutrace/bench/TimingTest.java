package dev.mmutrace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TimingTest {

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        // 4, 1, 3, 2 sorted is 1, 2, 3, 4: (2 + 3) / 2
        assertThat(Timing.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }
}
