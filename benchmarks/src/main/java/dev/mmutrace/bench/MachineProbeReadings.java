package dev.mmutrace.bench;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import java.util.Collection;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * What the {@link MachineProbe} read before each timed run of one figure timed in child JVMs
 * ({@link ChildRuns}), in nanoseconds, and which runs those were ({@code runs}, e.g. {@code decode
 * runs}). A reading more than {@link #SLOW} times the best one is a run the machine itself slowed.
 *
 * <p>The subtle thing: which best. A figure's own best is set by its own runs, so a slow spell that
 * covers the whole figure (its runs take seconds, the host's spells last seconds to minutes) sets
 * it too, and every run then looks steady against it. So {@link Conditions} judges the readings
 * against the best of the whole bench run ({@link #best(Collection)}, across measurements and
 * attempts, as {@link HostShare#fastest} is for the host probe); the figure's line keeps its own
 * best, which is all it can know when it is printed.
 */
public record MachineProbeReadings(String runs, ImmutableList<Long> nanos) {
    /**
     * A reading slower than this times the best marks a run the machine slowed: the chase kept within
     * 7.6-8.0 ms (5%) on a quiet host and read 8.7-10 ms in its spells, when the decode fell from
     * 33-35M to 26-29M events/s (docs/performance.md "Why in-JVM figures varied").
     */
    static final double SLOW = 1.1;

    public MachineProbeReadings {
        checkArgument(!runs.isBlank(), "readings need the runs they were taken before");
        nanos = ImmutableList.copyOf(nanos);
        checkArgument(!nanos.isEmpty(), "no machine probe readings before %s", runs);
        checkArgument(nanos.stream().allMatch(n -> n > 0), "machine probe readings must be positive: %s", nanos);
    }

    /** The quickest reading: the machine at its best during these runs. */
    long best() {
        return nanos.stream().mapToLong(Long::longValue).min().orElseThrow();
    }

    /** The best reading among all of {@code readings}; empty when there are none. */
    static OptionalLong best(Collection<MachineProbeReadings> readings) {
        return readings.stream().mapToLong(MachineProbeReadings::best).min();
    }

    /** Before how many runs the probe read more than {@link #SLOW} times {@code bestNanos}. */
    int slowAgainst(long bestNanos) {
        return (int) nanos.stream().filter(n -> n > SLOW * bestNanos).count();
    }

    /**
     * Whether the probe read more than {@link #SLOW} times {@code bestNanos} before more than a third
     * of the runs. A third, not half, because the figure is the runs' median: k runs the machine
     * slowed make the median of n runs the ((n + 1) / 2)th fastest of the other n - k, so a third of
     * them already moves it from the middle of the steady runs to their slowest quarter (9 of 27: the
     * 14th of 18; 3 of 9: the 5th of 6), and each further one moves it on (13 of 27, 4 of 9: the
     * slowest steady run; one more and it is a slowed run). At 05:19 UTC on 7 December the chase was
     * slow before 13 of the decode's 27 runs, under half, and the decode gave 25.8M events/s.
     */
    boolean tooOftenSlowAgainst(long bestNanos) {
        return 3 * slowAgainst(bestNanos) > nanos.size();
    }

    /**
     * The readings as a figure shown beside the runs' own, {@code machine probe, RUNS}: their median
     * in ms, their own best and before how many runs the probe read over {@link #SLOW} times that.
     */
    Figure figure() {
        double[] ms = nanos.stream().mapToDouble(n -> n / 1e6).toArray();
        long best = best();
        return Figure.shown("machine probe, " + runs, Timing.median(ms), "ms", String.format(Locale.ROOT, "%,d"
                + " dependent loads through 256 KiB before each run, the machine's own speed: best %.1f ms; over"
                + " %.1fx that before %d of %d runs", MachineProbe.STEPS, best / 1e6, SLOW, slowAgainst(best),
                nanos.size()));
    }
}
