package dev.mmutrace.bench;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.ToDoubleFunction;

/**
 * What a measurement (or the whole run) ran under, and whether that counts as an idle machine:
 * the cores other processes in the guest kept busy ({@link MachineLoad}, two readings) and what
 * the host gave the guest at each {@link HostProbe} taken meanwhile ({@link HostShare}), against
 * the fastest probe of the run: the machine's own speed when the host leaves it alone, so that a
 * run whose first probe fell in a slow spell is not judged against that spell. Idle needs both: a guest with no other process can still be given much
 * less than its cores by the host, and then figures that need both cores (the batch speed-up, a
 * whole-process conversion with its scanning and JIT threads) miss while one-thread peers such as
 * {@code mawk} barely slow.
 *
 * <p>For figures timed in child JVMs it also weighs the {@link MachineProbe} read before each of
 * their runs ({@link MachineProbeReadings}): the host probes are taken only before and after a
 * measurement, and the host's slow spells (the guest's cores sharing their caches with work the
 * guest cannot see) come and go within it. Those readings are judged against {@code machineBest},
 * the best reading of the run so far, for the reason {@link MachineProbeReadings} gives.
 */
record Conditions(MachineLoad from, MachineLoad to, ImmutableList<HostShare> probes, HostShare fastest,
        ImmutableList<MachineProbeReadings> machineProbes, OptionalLong machineBest) {
    /**
     * The share of its cores the host must give at every probe: 1.8 of 2. Chosen from the probe
     * taken in turn with one {@code mawk} alone and two pinned to the two cpus at once (2026-12-06,
     * 22:18-23:00 UTC; docs/performance.md "The machine and its load"): while two {@code mawk}s ran
     * as fast as one (0.46-0.48 s) the probe read 1.94-2.00; while the two vCPUs shared one core
     * (two {@code mawk}s 0.70-0.72 s, one alone 0.47 s) it read 1.14-1.17; in between when the host
     * changed state during a probe.
     */
    static final double HOST_SHARE = 0.9;
    /**
     * How much slower than the fastest probe one core may be: a tenth. The kernel alone kept within
     * 3% (1.84-1.89 ms) while the host gave full cores; in the host's slow spells it ran at
     * 0.66-0.84 of that speed (2.2-2.8 ms; one {@code mawk} 0.59-0.70 s against 0.47 s) on both
     * cpus at once, which the cores given alone do not show. Against the run's first probe instead,
     * a run that started in such a spell (2026-12-06, 23:30 UTC) read every later probe 1.3x fast
     * and called all 12 measurements not idle.
     */
    static final double SPEED_TOLERANCE = 0.1;

    Conditions {
        checkArgument(!probes.isEmpty(), "conditions need at least one host probe");
        checkArgument(machineProbes.isEmpty() || machineBest.isPresent(),
                "machine probe readings need the run's best reading to be judged against");
    }

    /** Conditions of figures with no machine probe behind them. */
    static Conditions of(MachineLoad from, MachineLoad to, List<HostShare> probes, HostShare fastest) {
        return of(from, to, probes, fastest, List.of(), OptionalLong.empty());
    }

    /**
     * Conditions of figures with the machine probe's {@code machineProbes} behind them (none: no
     * reason from them), judged against {@code machineBest}, the run's best reading so far.
     */
    static Conditions of(MachineLoad from, MachineLoad to, List<HostShare> probes, HostShare fastest,
            List<MachineProbeReadings> machineProbes, OptionalLong machineBest) {
        return new Conditions(from, to, ImmutableList.copyOf(probes), fastest, ImmutableList.copyOf(machineProbes),
                machineBest);
    }

    int cores() {
        return fastest.threads();
    }

    boolean hostGaveEnough(HostShare probe) {
        return probe.cores() >= HOST_SHARE * probe.threads();
    }

    boolean speedSteady(HostShare probe) {
        return probe.speedAgainst(fastest) >= 1 - SPEED_TOLERANCE;
    }

    /**
     * Whether the machine probe read over {@link MachineProbeReadings#SLOW} times the run's best
     * before more than a third of the runs of {@code readings}: then the machine, not the code, set
     * the median that is the figure (why a third: {@link MachineProbeReadings#tooOftenSlowAgainst}).
     * A few slow runs are not enough: they leave the median among the steady runs.
     */
    private boolean tooOftenSlow(MachineProbeReadings readings) {
        return readings.tooOftenSlowAgainst(machineBest.orElseThrow());
    }

    /**
     * Idle: other processes kept at most {@link MachineLoad#IDLE_CORES} busy, every host probe
     * passed, and the machine probe was slow before at most a third of the runs of every figure.
     */
    boolean idle() {
        return from.idleUntil(to) && notIdleBecause().isEmpty();
    }

    /** What makes the stretch not idle, in words; empty when it is idle or only the guest's load is unknown. */
    List<String> notIdleBecause() {
        List<String> why = new ArrayList<>();
        double others = from.othersCores(to);
        if (others > MachineLoad.IDLE_CORES) {
            why.add(String.format(Locale.ROOT, "other processes above %.1f of a core", MachineLoad.IDLE_CORES));
        }
        if (!probes.stream().allMatch(this::hostGaveEnough)) {
            why.add(String.format(Locale.ROOT, "the host gave below %.2f of %d cores", HOST_SHARE * cores(), cores()));
        }
        if (!probes.stream().allMatch(this::speedSteady)) {
            why.add(String.format(Locale.ROOT, "one core slower than at the fastest probe by more than %.0f%%",
                    SPEED_TOLERANCE * 100));
        }
        if (machineProbes.stream().anyMatch(this::tooOftenSlow)) {
            why.add(String.format(Locale.ROOT, "the machine probe over %.1fx the run's best before more than a third"
                    + " of a figure's runs", MachineProbeReadings.SLOW));
        }
        return why;
    }

    /**
     * One line: the load, the host's share at the probes and the verdict, e.g. {@code load average
     * 0.10 before, 0.20 after; other processes kept 0.02 of 2 cores busy; host gave 1.97 and 1.99 of
     * 2 cores, one core at 1.00 and 0.99 of the fastest probe's speed (probe before, after): idle}.
     * With more than two probes (the whole run) it gives each figure's range and the probes' count.
     * With machine probe readings it says, before the verdict, before how many runs of each figure
     * the probe read over {@link MachineProbeReadings#SLOW} times the run's best, e.g. {@code ;
     * machine probe over 1.1x the run's best, 7.6 ms, before 2 of 27 decode runs}.
     */
    String line() {
        List<String> why = notIdleBecause();
        String verdict = !why.isEmpty() ? "NOT IDLE (" + String.join("; ", why) + "): figures are lower and ratios"
                + " less certain than on an idle machine"
                : from.othersCores(to) < 0 ? "unknown whether idle" : "idle";
        long shortOfIdle = probes.stream().filter(p -> !hostGaveEnough(p) || !speedSteady(p)).count();
        String which = probes.size() == 2 ? "probe before, after"
                : probes.size() + (probes.size() == 1 ? " probe" : " probes") + (shortOfIdle == 0 ? ""
                        : ", " + shortOfIdle + " of them short of idle");
        return from.between(to, cores()) + "; host gave " + span(HostShare::cores) + " of " + cores()
                + " cores, one core at " + span(p -> p.speedAgainst(fastest)) + " of the fastest probe's speed (" + which
                + ")" + machineProbeLine() + ": " + verdict;
    }

    /** {@code ; machine probe over 1.1x the run's best, 7.6 ms, before K of N RUNS, ...}; empty without readings. */
    private String machineProbeLine() {
        if (machineProbes.isEmpty()) {
            return "";
        }
        long best = machineBest.orElseThrow();
        List<String> counts = machineProbes.stream().map(r -> r.slowAgainst(best) + " of " + r.nanos().size() + " "
                + r.runs()).toList();
        return String.format(Locale.ROOT, "; machine probe over %.1fx the run's best, %.1f ms, before %s",
                MachineProbeReadings.SLOW, best / 1e6, String.join(", ", counts));
    }

    /** Two probes' values as {@code a and b}; more as {@code lowest-highest}. */
    private String span(ToDoubleFunction<HostShare> value) {
        if (probes.size() == 2) {
            return two(value.applyAsDouble(probes.get(0))) + " and " + two(value.applyAsDouble(probes.get(1)));
        }
        double low = probes.stream().mapToDouble(value).min().orElseThrow();
        double high = probes.stream().mapToDouble(value).max().orElseThrow();
        return low == high ? two(low) : two(low) + "-" + two(high);
    }

    private static String two(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
