package dev.mmutrace.bench;

import java.util.SplittableRandom;

/**
 * A fixed piece of work that measures the machine rather than our code: a chase through a random
 * cycle of 256 KiB of indices, which a core's L2 cache holds, so each step is one dependent load
 * and its time is the core's cache latency. The bench times it before each run of its figures.
 *
 * <p>Why: on the project's 2-core guest this chase slows by 15-50% in spells of seconds, each vCPU
 * on its own, while nothing else runs in the guest and a loop of register arithmetic keeps its
 * speed; the decode and the replays slow with it (docs/performance.md "Why in-JVM figures
 * varied"). The guest sees no steal time, so this probe is what shows such a spell.
 */
final class MachineProbe {
    static final int ENTRIES = 64 * 1024;
    static final int STEPS = 2_000_000;

    private final int[][] cycles;

    /** A probe run on {@code threads} threads at once (2 for work that keeps both cores busy). */
    MachineProbe(int threads) {
        cycles = new int[threads][];
        for (int t = 0; t < threads; t++) {
            cycles[t] = cycle(ENTRIES, t + 1);
        }
    }

    /** The nanoseconds the slowest of the threads took for {@link #STEPS} steps of its chase. */
    long nanos() {
        long[] took = new long[cycles.length];
        Thread[] threads = new Thread[cycles.length];
        for (int t = 0; t < cycles.length; t++) {
            int index = t;
            threads[t] = new Thread(() -> took[index] = chase(cycles[index], STEPS), "machine-probe-" + t);
            threads[t].start();
        }
        long slowest = 0;
        for (int t = 0; t < threads.length; t++) {
            try {
                threads[t].join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while probing the machine", e);
            }
            slowest = Math.max(slowest, took[t]);
        }
        return slowest;
    }

    /** Entry i holds the index that follows i: one cycle through all {@code n}, in a random order. */
    static int[] cycle(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            next[order[i]] = order[(i + 1) % n];
        }
        return next;
    }

    private static long chase(int[] next, int steps) {
        long t0 = System.nanoTime();
        int at = 0;
        for (int i = 0; i < steps; i++) {
            at = next[at];
        }
        long took = System.nanoTime() - t0;
        if (at < 0) {
            throw new IllegalStateException("a cycle holds no negative index"); // keeps the chase from being dropped
        }
        return took;
    }
}
