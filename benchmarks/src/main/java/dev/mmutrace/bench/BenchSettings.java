package dev.mmutrace.bench;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Sizes of one bench run.
 *
 * @param events events of the main generated trace (throughput and decode figures)
 * @param timing warm-ups and timed runs of each timed figure
 * @param memoryShort events of the shorter memory run
 * @param memoryLong events of the longer memory run (the one replayed within {@link #MEMORY_HEAP})
 * @param batchTraces how many traces the batch figure replays
 * @param childJvms how many fresh JVMs in turn time each figure that {@link TimedChildren} times,
 *     each doing the warm-ups and runs of {@code timing}
 */
public record BenchSettings(long events, Timing timing, long memoryShort, long memoryLong, int batchTraces,
        int childJvms) {
    /** The heap limit the memory run's child JVM gets. */
    public static final String MEMORY_HEAP = "-Xmx512m";

    public BenchSettings {
        checkArgument(events >= 1000, "--events must be >= 1000, got %s", events);
        checkArgument(memoryShort >= 1 && memoryLong > memoryShort, "memory runs must grow: %s then %s",
                memoryShort, memoryLong);
        checkArgument(batchTraces >= 2, "the batch figure needs >= 2 traces, got %s", batchTraces);
        checkArgument(childJvms >= 1, "figures need >= 1 child JVM, got %s", childJvms);
    }

    /** The default run: a few minutes on a 2-core machine. */
    public static BenchSettings standard(long events) {
        return new BenchSettings(events, new Timing(1, 3), 10_000_000, 100_000_000, 4, 3);
    }

    /** A smoke run of seconds: small inputs, one timed run each; figures are indicative only. */
    public static BenchSettings quick(long events) {
        return new BenchSettings(events, new Timing(1, 1), 100_000, 1_000_000, 2, 1);
    }
}
