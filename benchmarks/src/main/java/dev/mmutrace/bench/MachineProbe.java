package dev.mmutrace.bench;

import java.util.SplittableRandom;

/**
 * A fixed piece of work that measures the machine rather than our code: a chase through a random
 * cycle of 256 KiB of indices, which a core's L2 cache holds, so each step is one dependent load
 * and its time is the core's cache latency. The bench times it before each run of its figures, on
 * the timing thread, so it sees the core that thread is on at that moment.
 *
 * <p>Why: on the project's 2-core guest this chase slows by 15-50% in spells of seconds, each vCPU
 * on its own, while nothing else runs in the guest and a loop of register arithmetic keeps its
 * speed; the decode and the replays slow with it (docs/performance.md "Why in-JVM figures
 * varied"). The guest sees no steal time, so this probe is what shows such a spell.
 */
final class MachineProbe {
    static final int ENTRIES = 64 * 1024;
    static final int STEPS = 2_000_000;

    private final int[] cycle = cycle(ENTRIES, 1);

    /**
     * The nanoseconds {@link #STEPS} steps of the chase take, after one untimed round of the
     * cycle: the work timed before the probe (a decode allocates 80 MB) has pushed the cycle out of
     * the caches, and a first round would time up to 65,536 misses to memory, the previous run's
     * doing rather than the machine's.
     */
    long nanos() {
        int at = 0;
        for (int i = 0; i < cycle.length; i++) {
            at = cycle[at];
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < STEPS; i++) {
            at = cycle[at];
        }
        long took = System.nanoTime() - t0;
        if (at < 0) {
            throw new IllegalStateException("a cycle holds no negative index"); // keeps the chase from being dropped
        }
        return took;
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
}
