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
 * @param closeRounds warm-up and timed rounds of a whole-process figure whose target sits close to
 *     what this machine gives ({@link ProcessFigures#overCloseRounds}): the ftrace import against
 *     mawk, 0.5x held, 0.53-0.57x on the quiet host on 7 December. Its median of three rounds was
 *     moved below the target by a slow spell of the host over at least two of its convert runs
 *     (the run of 07:07 UTC: 0.985 s and 1.76 s of cpu against 0.82-0.89 s and 1.44-1.60 s in the
 *     runs before, the host probes before and after it idle); a median of seven needs four to move.
 */
public record BenchSettings(long events, Timing timing, long memoryShort, long memoryLong, int batchTraces,
        int childJvms, Timing closeRounds) {
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
        return new BenchSettings(events, new Timing(1, 3), 10_000_000, 100_000_000, 4, 3, new Timing(1, 7));
    }

    /** A smoke run of seconds: small inputs, one timed run each; figures are indicative only. */
    public static BenchSettings quick(long events) {
        return new BenchSettings(events, new Timing(1, 1), 100_000, 1_000_000, 2, 1, new Timing(1, 1));
    }
}
