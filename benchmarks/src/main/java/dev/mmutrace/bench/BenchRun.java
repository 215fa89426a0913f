package dev.mmutrace.bench;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Runs the measurements one after the other and prints each figure as soon as it is known, with
 * its target and PASS or MISS beside it, then a last line saying which targets were missed.
 *
 * <p>The subtle thing: the host takes cores from this guest in spells the guest cannot see (see
 * {@link HostProbe} and {@link MachineProbe}), so a measurement that was not idle is measured again,
 * up to {@link #attempts} times, and only the last attempt made counts. Whether to measure again
 * depends on the attempt's {@link Conditions} alone, never on its figures: a PASS measured while
 * not idle is measured again, a MISS measured while idle is not. A rule that looked at the figures
 * would re-roll misses until they passed and report the luckiest attempt; this one gives every
 * measurement the same chance of an idle attempt, whatever the code's figures.
 */
public final class BenchRun {
    private final List<Measurement> measurements;
    private final PrintWriter out;
    private final int attempts;
    private final Readings readings;

    /**
     * {@code attempts}: at most how many times one measurement is made (1: never measured again);
     * {@code readings}: where the host probes and the guest's load are read.
     */
    BenchRun(List<Measurement> measurements, PrintWriter out, int attempts, Readings readings) {
        checkArgument(attempts >= 1, "a measurement needs at least one attempt, got %s", attempts);
        this.measurements = ImmutableList.copyOf(measurements);
        this.out = out;
        this.attempts = attempts;
        this.readings = readings;
    }

    /**
     * The measurements of a full run, quickest first, the memory run (three child JVMs) last; each
     * speed timed in this JVM is followed by the same work as whole processes beside its peers.
     */
    public static List<Measurement> standard() {
        return List.of(
                Measurement.probed("binary decode, and replay through all models vs that decode",
                        DecodeRatio::figures),
                new ProcessFigures("binary decode, whole processes (JVM start included) vs cat",
                        WholeProcesses::binaryDecode, Ratio.shown("decode", "cat")),
                new ProcessFigures("replay of one trace through all models, whole processes", WholeProcesses::replay,
                        Ratio.shown("replay --jobs 2", "replay --jobs 1")),
                Measurement.probed("one model on one core (events decoded beforehand)", ModelRates::figures),
                Measurement.of("CSV decode", CsvDecode::figures),
                new ProcessFigures("CSV decode, whole processes, vs mawk and wc -l", WholeProcesses::csvDecode,
                        Ratio.shown("decode", "mawk -F,"), Ratio.shown("decode", "wc -l")),
                Measurement.of("ftrace import, in this JVM, and the floor passes", FtraceImport::figures),
                new ProcessFigures("ftrace import, whole processes, vs mawk and wc -l", WholeProcesses::ftraceImport,
                        Ratio.held("convert --from ftrace", "mawk", FtraceImport.MAWK_TARGET),
                        Ratio.shown("convert --from ftrace", "wc -l")).overCloseRounds(),
                new TraceDatImport(),
                Measurement.probed("batch replay, --jobs 2 vs --jobs 1", BatchScaling::figures),
                new ProcessFigures("batch replay, whole processes", WholeProcesses::batch,
                        Ratio.shown("batch --jobs 2", "batch --jobs 1")),
                Measurement.of("memory: replay in a child JVM with " + BenchSettings.MEMORY_HEAP,
                        MemoryBound::figures));
    }

    /**
     * Runs every measurement; every figure of the attempts that count, in order. After each
     * attempt's figures, and for the whole run at the end, a line says how busy the machine was
     * meanwhile (load average before and after, the cores other processes kept busy, and the cores
     * the host gave at a probe before and after, and for figures timed in child JVMs what the
     * machine probe read before their runs), and whether it was idle ({@link Conditions}), one
     * core's speed judged against the fastest host probe so far and the machine probe against its
     * best reading so far. An attempt that was not idle is made again, up to {@link #attempts} in
     * all, with a line saying so; the first idle attempt, or else the last, counts, and only its
     * figures are returned and judged. (A faster probe of
     * either kind found later can only make an attempt less idle, never more, so no attempt set
     * aside would have counted in hindsight.) At the end the summary and the verdict judge every
     * counted attempt again against the best probes of the whole run, which a slow spell at the
     * start cannot set, and say how many measurements were measured again and why.
     */
    public ImmutableList<Figure> run(BenchInputs inputs) {
        List<HostShare> probes = new ArrayList<>();
        List<MachineProbeReadings> machineProbes = new ArrayList<>();
        List<Counted> counted = new ArrayList<>();
        MachineLoad start = readings.load();
        for (Measurement m : measurements) {
            out.println(m.title());
            out.flush();
            counted.add(measure(m, inputs, probes, machineProbes));
        }
        MachineLoad end = readings.load();
        List<List<String>> busy = new ArrayList<>();
        List<Figure> notIdle = new ArrayList<>();
        int idleWhenMeasured = 0;
        if (!probes.isEmpty()) {
            HostShare fastest = HostShare.fastest(probes);
            OptionalLong machineBest = MachineProbeReadings.best(machineProbes);
            out.println("whole run: " + Conditions.of(start, end, probes, fastest, machineProbes, machineBest).line());
            for (Counted c : counted) {
                Conditions now = c.stretch().against(fastest, machineBest);
                if (!now.idle()) {
                    busy.add(reasons(now));
                    notIdle.addAll(c.stretch().figures());
                    idleWhenMeasured += c.idleWhenMeasured() ? 1 : 0;
                }
            }
        }
        List<List<List<String>>> setAside = counted.stream().map(Counted::setAside).toList();
        if (setAside.stream().anyMatch(a -> !a.isEmpty())) {
            long thenIdle = counted.stream().filter(c -> !c.setAside().isEmpty() && c.idleWhenMeasured()).count();
            out.println(measuredAgainSummary(setAside, thenIdle, attempts));
        }
        if (!busy.isEmpty()) {
            out.println(notIdleSummary(busy, measurements.size(), idleWhenMeasured));
        }
        ImmutableList<Figure> figures = counted.stream().flatMap(c -> c.stretch().figures().stream())
                .collect(ImmutableList.toImmutableList());
        Optional<Idleness> idleness = probes.isEmpty() ? Optional.empty()
                : Optional.of(new Idleness(measurements.size(), busy.size()));
        out.println(verdict(figures, notIdle, idleness));
        out.flush();
        return figures;
    }

    /**
     * Attempts at {@code m} until one is idle against the fastest of the host's {@code probes} and
     * the best of the {@code machineProbes} so far (to which each attempt adds its own) or
     * {@link #attempts} have been made; the last one counts. Its figures play no part in the choice.
     */
    private Counted measure(Measurement m, BenchInputs inputs, List<HostShare> probes,
            List<MachineProbeReadings> machineProbes) {
        List<List<String>> setAside = new ArrayList<>();
        for (int n = 1; ; n++) {
            Stretch stretch = attempt(m, inputs, probes, machineProbes);
            Conditions conditions = stretch.against(HostShare.fastest(probes),
                    MachineProbeReadings.best(machineProbes));
            out.println("  (" + conditions.line() + ")");
            boolean last = conditions.idle() || n == attempts;
            if (n > 1 || !last) {
                out.println(attemptLine(n, attempts, conditions));
            }
            out.flush();
            if (last) {
                return new Counted(stretch, conditions.idle(), setAside);
            }
            setAside.add(reasons(conditions));
        }
    }

    /**
     * One attempt: a probe and the guest's load before and after {@code m}'s figures, printed as
     * they come; the host probes go to {@code probes}, the machine probe's readings behind the
     * figures to {@code machineProbes}.
     */
    private Stretch attempt(Measurement m, BenchInputs inputs, List<HostShare> probes,
            List<MachineProbeReadings> machineProbes) {
        HostShare hostBefore = readings.probe();
        probes.add(hostBefore);
        MachineLoad before = readings.load();
        Measured measured = m.run(inputs);
        measured.figures().forEach(f -> out.println(line(f)));
        MachineLoad after = readings.load();
        HostShare hostAfter = readings.probe();
        probes.add(hostAfter);
        machineProbes.addAll(measured.machineProbes());
        return new Stretch(before, after, List.of(hostBefore, hostAfter), measured);
    }

    /** One attempt's readings before and after it, and what it measured. */
    private record Stretch(MachineLoad before, MachineLoad after, List<HostShare> probes, Measured measured) {
        Conditions against(HostShare fastest, OptionalLong machineBest) {
            return Conditions.of(before, after, probes, fastest, measured.machineProbes(), machineBest);
        }

        List<Figure> figures() {
            return measured.figures();
        }
    }

    /**
     * The attempt of a measurement that counts, whether it was idle against the best probes so far
     * when it was made, and why each attempt before it was set aside.
     */
    private record Counted(Stretch stretch, boolean idleWhenMeasured, List<List<String>> setAside) {}

    /** Why {@code c} is not idle, in words; when only the guest's load is unknown, that. */
    private static List<String> reasons(Conditions c) {
        return c.notIdleBecause().isEmpty() ? List.of("the guest's load unknown") : c.notIdleBecause();
    }

    /**
     * After an attempt that is set aside: {@code   attempt 1 of 2: NOT idle (REASONS); measured
     * again}; after the one that counts, when it is not the first: {@code   attempt 2 of 2: idle;
     * this attempt counts}, or NOT idle and counted as the last one allowed.
     */
    static String attemptLine(int n, int attempts, Conditions c) {
        String head = "  attempt " + n + " of " + attempts + ": ";
        if (c.idle()) {
            return head + "idle; this attempt counts";
        }
        String notIdle = "NOT idle (" + String.join("; ", reasons(c)) + ")";
        return head + notIdle + (n < attempts ? "; measured again" : "; the last allowed, so this attempt counts");
    }

    /**
     * {@code K of N measurements measured again, at most A attempts each: S attempts set aside as NOT
     * idle when made (REASON in s1; REASON in s2); the attempt that counts was idle when made in I of
     * the K}, from the reasons each set-aside attempt gave, per measurement ({@code setAside}, empty
     * for one measured once), and how many of those measured again counted an attempt idle when made.
     */
    static String measuredAgainSummary(List<List<List<String>>> setAside, long thenIdle, int attempts) {
        List<List<String>> all = setAside.stream().flatMap(List::stream).toList();
        long again = setAside.stream().filter(a -> !a.isEmpty()).count();
        return again + " of " + setAside.size() + " measurements measured again, at most " + attempts
                + " attempts each: " + all.size() + (all.size() == 1 ? " attempt" : " attempts")
                + " set aside as NOT idle when made (" + reasonCounts(all) + "); the attempt that counts was idle"
                + " when made in " + thenIdle + " of the " + again;
    }

    /**
     * {@code the machine was NOT idle during K of N measurements (REASON in k1, REASON in k2): ...},
     * from the reasons each counted attempt that was not idle gave ({@link Conditions#notIdleBecause}),
     * and how many of those were idle against the best probes so far when they were made. The
     * host probe and the machine probe are each judged against their best of the whole run.
     */
    static String notIdleSummary(List<List<String>> reasonsPerBusyMeasurement, int measurements,
            int idleWhenMeasured) {
        String hindsight = idleWhenMeasured == 0 ? "" : "; " + idleWhenMeasured + " of them idle against the"
                + " best probes so far when measured";
        return "the machine was NOT idle during " + reasonsPerBusyMeasurement.size() + " of " + measurements
                + " measurements, each probe judged against its best of the whole run ("
                + reasonCounts(reasonsPerBusyMeasurement) + ")" + hindsight
                + ": their figures say what this machine gave under that load, not what it can do";
    }

    /** {@code REASON in n; REASON in m}: how many of {@code reasonsPerStretch} gave each reason, in first-seen order. */
    private static String reasonCounts(List<List<String>> reasonsPerStretch) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        reasonsPerStretch.forEach(why -> why.forEach(reason -> counts.merge(reason, 1, Integer::sum)));
        List<String> parts = new ArrayList<>();
        counts.forEach((reason, n) -> parts.add(reason + " in " + n));
        return String.join("; ", parts);
    }

    /** The figures that have a target and miss it. */
    public static List<Figure> missed(List<Figure> figures) {
        List<Figure> missed = new ArrayList<>();
        for (Figure f : figures) {
            if (!f.passes()) {
                missed.add(f);
            }
        }
        return missed;
    }

    /**
     * How many of a run's measurements there were and how many of them were not idle, each
     * counted attempt judged against the run's best probes: what the verdict says of the machine.
     */
    record Idleness(int measurements, int notIdle) {
        Idleness {
            checkArgument(measurements > 0 && notIdle >= 0 && notIdle <= measurements,
                    "not idle in %s of %s measurements", notIdle, measurements);
        }

        /**
         * {@code ; every measurement idle ...: a run on an idle machine}, or {@code ; K of N
         * measurements NOT idle: not a run on an idle machine}: said in the verdict itself, so
         * that a run which qualifies says so rather than only lacking the NOT idle line above.
         */
        String clause() {
            return notIdle == 0
                    ? "; every measurement idle, each judged against the run's best probes: a run on an idle machine"
                    : "; " + notIdle + " of " + measurements + " measurements NOT idle: not a run on an idle machine";
        }
    }

    /**
     * {@code all N targets met}, or the missed ones by name, each measured while the machine was
     * not idle (it is in {@code notIdle}) marked so, and when every miss is such a one, a word that
     * they may be the machine's rather than the code's; then, when the run's idleness was judged,
     * whether every measurement was idle ({@link Idleness#clause}).
     */
    static String verdict(List<Figure> figures, List<Figure> notIdle, Optional<Idleness> idleness) {
        return targets(figures, notIdle) + idleness.map(Idleness::clause).orElse("");
    }

    private static String targets(List<Figure> figures, List<Figure> notIdle) {
        long held = figures.stream().filter(f -> f.target().isPresent()).count();
        List<Figure> missed = missed(figures);
        if (missed.isEmpty()) {
            return "all " + held + " targets met";
        }
        List<String> names = new ArrayList<>();
        missed.forEach(f -> names.add(f.name() + (notIdle.contains(f) ? " (measured while NOT idle)" : "")));
        String line = missed.size() + " of " + held + " targets missed: " + String.join(", ", names);
        long whileBusy = missed.stream().filter(notIdle::contains).count();
        if (whileBusy == missed.size()) {
            return line + "; every miss was measured while the machine was NOT idle: measure again on an idle"
                    + " machine before calling it the code's";
        }
        return whileBusy == 0 ? line
                : line + "; " + whileBusy + " of the misses measured while the machine was NOT idle";
    }

    /** {@code   name   value unit   target >= x   PASS   (how)}. */
    static String line(Figure f) {
        String target = f.target().map(t -> ">= " + number(t.atLeast(), f.unit())).orElse("");
        String mark = f.target().isEmpty() ? "" : f.passes() ? "PASS" : "MISS";
        return String.format(Locale.ROOT, "  %-52s %16s %-9s %-16s %-4s  (%s)", f.name(), number(f.value(), f.unit()),
                f.unit().equals("yes/no") ? "" : f.unit(), target, mark, f.how()).stripTrailing();
    }

    static String number(double v, String unit) {
        if (unit.equals("yes/no")) {
            return v >= 1 ? "yes" : "no";
        }
        if (Math.abs(v) >= 1000 || unit.equals("frames")) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (v != 0 && Math.abs(v) < 0.1) {
            return String.format(Locale.ROOT, "%.4f", v); // a whole process against cat or wc is often below 0.01
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
