package dev.mmutrace.bench;

import static com.google.common.base.Preconditions.checkArgument;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Warm-up runs (so the JIT has compiled the hot path), then timed runs; the median of the timed
 * runs' wall-clock seconds and of this thread's cpu seconds. The median rather than the mean
 * because a 2-core machine shared with other work gives the occasional slow run.
 */
public record Timing(int warmups, int runs) {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public Timing {
        checkArgument(warmups >= 0, "warm-ups must be >= 0, got %s", warmups);
        checkArgument(runs >= 1, "timed runs must be >= 1, got %s", runs);
    }

    /** Runs {@code work} warm-ups + runs times; the median seconds of the timed runs. */
    public double medianSeconds(Runnable work) {
        return measure(work).wallSeconds();
    }

    /**
     * Runs {@code work} warm-ups + runs times; the medians of the timed runs, the cpu time being
     * this thread's (work that runs threads of its own is not all counted there).
     */
    public Times measure(Runnable work) {
        for (int i = 0; i < warmups; i++) {
            work.run();
        }
        double[] wall = new double[runs];
        double[] cpu = new double[runs];
        for (int i = 0; i < runs; i++) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            work.run();
            wall[i] = (System.nanoTime() - t0) / 1e9;
            cpu[i] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e9;
        }
        return new Times(median(wall), median(cpu));
    }

    static double median(double[] values) {
        checkArgument(values.length > 0, "no values");
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
