package dev.mmutrace.bench;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;

/**
 * Warm-up runs (so the JIT has compiled the hot path), then timed runs; the median of the timed
 * runs' wall-clock seconds. The median rather than the mean because a 2-core machine shared with
 * other work gives the occasional slow run. (The figures timed in child JVMs time their runs in
 * {@link TimedWork}, with the thread's cpu time and a probe beside each.)
 */
public record Timing(int warmups, int runs) {

    public Timing {
        checkArgument(warmups >= 0, "warm-ups must be >= 0, got %s", warmups);
        checkArgument(runs >= 1, "timed runs must be >= 1, got %s", runs);
    }

    /** Runs {@code work} warm-ups + runs times; the median seconds of the timed runs. */
    public double medianSeconds(Runnable work) {
        for (int i = 0; i < warmups; i++) {
            work.run();
        }
        double[] wall = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            work.run();
            wall[i] = (System.nanoTime() - t0) / 1e9;
        }
        return median(wall);
    }

    static double median(double[] values) {
        checkArgument(values.length > 0, "no values");
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
