package dev.mmutrace.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

/** The cores the host gave and one core's speed, from probe times worked out by hand. */
class HostShareTest {

    @Test
    void coresAreThreadsTimesAloneOverAllAtOnce() {
        // 2 kernels at once in 10 ms, one alone in 7.5 ms: 2 x 7.5 / 10 = 1.5 cores' worth
        assertThat(new HostShare(2, 0.0075, 0.010).cores()).isCloseTo(1.5, offset(1e-12));
        // two full cores: both at once as quick as one alone, 2 x 7.5 / 7.5 = 2
        assertThat(new HostShare(2, 0.0075, 0.0075).cores()).isCloseTo(2.0, offset(1e-12));
        // the two at once time-sliced on one core: 2 x 7.5 / 15 = 1
        assertThat(new HostShare(2, 0.0075, 0.015).cores()).isCloseTo(1.0, offset(1e-12));
    }

    @Test
    void allAtOnceQuickerThanAloneByChanceIsCappedAtTheThreads() {
        // 2 x 8 / 7.5 = 2.13, more cores than there are: 2
        assertThat(new HostShare(2, 0.008, 0.0075).cores()).isEqualTo(2.0);
    }

    @Test
    void speedIsTheFirstProbesAloneTimeOverThisOnes() {
        HostShare first = new HostShare(2, 0.0075, 0.0076);
        // 7.5 / 10 = 0.75: a quarter slower; 7.5 / 6 = 1.25: a quarter faster
        assertThat(new HostShare(2, 0.010, 0.010).speedAgainst(first)).isCloseTo(0.75, offset(1e-12));
        assertThat(new HostShare(2, 0.006, 0.006).speedAgainst(first)).isCloseTo(1.25, offset(1e-12));
        assertThat(first.speedAgainst(first)).isEqualTo(1.0);
    }

    @Test
    void timesMustBePositive() {
        assertThatThrownBy(() -> new HostShare(2, 0, 0.01)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HostShare(0, 0.01, 0.01)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theKernelGivesTheValueWorkedOutElsewhere() {
        // chain a after one iteration: 1 ^ 1 << 13 = 0x2001; ^ 0x2001 >>> 7 = 0x2041; ^ 0x2041 << 17 = 0x40822041;
        // times 0x9E3779B97F4A7C15 mod 2^64 = 0x4b525adae4162155 (Python's integers, masked to 64 bits).
        // The six chains (seeds 1..6) xored after one iteration: 0xaa3d73f33ccae403; after two: 0xe4c49455d11b5f27
        // (the same Python, each step on all six).
        assertThat(HostProbe.kernel(1)).isEqualTo(0xaa3d73f33ccae403L);
        assertThat(HostProbe.kernel(2)).isEqualTo(0xe4c49455d11b5f27L);
        // no iteration: 1 ^ 2 ^ 3 ^ 4 ^ 5 ^ 6 = 7
        assertThat(HostProbe.kernel(0)).isEqualTo(7L);
    }
}
