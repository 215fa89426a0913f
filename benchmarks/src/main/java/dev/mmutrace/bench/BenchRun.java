package dev.mmutrace.bench;

import com.google.common.collect.ImmutableList;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the measurements one after the other and prints each figure as soon as it is known, with
 * its target and PASS or MISS beside it, then a last line saying which targets were missed.
 */
public final class BenchRun {
    private final List<Measurement> measurements;
    private final PrintWriter out;

    public BenchRun(List<Measurement> measurements, PrintWriter out) {
        this.measurements = ImmutableList.copyOf(measurements);
        this.out = out;
    }

    /**
     * The measurements of a full run, quickest first, the memory run (three child JVMs) last; each
     * speed timed in this JVM is followed by the same work as whole processes beside its peers.
     */
    public static List<Measurement> standard() {
        return List.of(
                Measurement.of("binary decode, and replay through all models vs that decode", DecodeRatio::figures),
                new ProcessFigures("binary decode, whole processes (JVM start included) vs cat",
                        WholeProcesses::binaryDecode, Ratio.shown("decode", "cat")),
                new ProcessFigures("replay of one trace through all models, whole processes", WholeProcesses::replay,
                        Ratio.shown("replay --jobs 2", "replay --jobs 1")),
                Measurement.of("one model on one core (events decoded beforehand)", ModelRates::figures),
                Measurement.of("CSV decode", CsvDecode::figures),
                new ProcessFigures("CSV decode, whole processes, vs mawk and wc -l", WholeProcesses::csvDecode,
                        Ratio.shown("decode", "mawk -F,"), Ratio.shown("decode", "wc -l")),
                Measurement.of("ftrace import, in this JVM, and the floor passes", FtraceImport::figures),
                new ProcessFigures("ftrace import, whole processes, vs mawk and wc -l", WholeProcesses::ftraceImport,
                        Ratio.held("convert --from ftrace", "mawk", FtraceImport.MAWK_TARGET),
                        Ratio.shown("convert --from ftrace", "wc -l")),
                new TraceDatImport(),
                Measurement.of("batch replay, --jobs 2 vs --jobs 1", BatchScaling::figures),
                new ProcessFigures("batch replay, whole processes", WholeProcesses::batch,
                        Ratio.shown("batch --jobs 2", "batch --jobs 1")),
                Measurement.of("memory: replay in a child JVM with " + BenchSettings.MEMORY_HEAP,
                        MemoryBound::figures));
    }

    /**
     * Runs every measurement; every figure, in order. After each measurement's figures, and for
     * the whole run at the end, a line says how busy the machine was meanwhile (load average
     * before and after, the cores other processes kept busy, and the cores the host gave at a
     * {@link HostProbe} before and after), and whether it was idle ({@link Conditions}). A
     * measurement's line judges one core's speed against the fastest probe so far; the summary and
     * the verdict at the end judge every measurement again against the fastest probe of the whole
     * run, which a slow spell at the start cannot set.
     */
    public ImmutableList<Figure> run(BenchInputs inputs) {
        ImmutableList.Builder<Figure> all = ImmutableList.builder();
        HostProbe probe = HostProbe.warmedUp();
        List<HostShare> probes = new ArrayList<>();
        List<Stretch> stretches = new ArrayList<>();
        MachineLoad start = MachineLoad.now();
        for (Measurement m : measurements) {
            out.println(m.title());
            out.flush();
            HostShare hostBefore = probe.share();
            probes.add(hostBefore);
            MachineLoad before = MachineLoad.now();
            List<Figure> figures = m.run(inputs);
            figures.forEach(f -> out.println(line(f)));
            all.addAll(figures);
            MachineLoad after = MachineLoad.now();
            HostShare hostAfter = probe.share();
            probes.add(hostAfter);
            Stretch stretch = new Stretch(before, after, List.of(hostBefore, hostAfter), figures);
            stretches.add(stretch);
            out.println("  (" + stretch.against(HostShare.fastest(probes)).line() + ")");
            out.flush();
        }
        MachineLoad end = MachineLoad.now();
        List<List<String>> busy = new ArrayList<>();
        List<Figure> notIdle = new ArrayList<>();
        if (!probes.isEmpty()) {
            HostShare fastest = HostShare.fastest(probes);
            out.println("whole run: " + Conditions.of(start, end, probes, fastest).line());
            for (Stretch s : stretches) {
                Conditions c = s.against(fastest);
                if (!c.idle()) {
                    busy.add(c.notIdleBecause().isEmpty() ? List.of("the guest's load unknown") : c.notIdleBecause());
                    notIdle.addAll(s.figures());
                }
            }
        }
        if (!busy.isEmpty()) {
            out.println(notIdleSummary(busy, measurements.size()));
        }
        ImmutableList<Figure> figures = all.build();
        out.println(verdict(figures, notIdle));
        out.flush();
        return figures;
    }

    /** One measurement's readings before and after it, and the figures it gave. */
    private record Stretch(MachineLoad before, MachineLoad after, List<HostShare> probes, List<Figure> figures) {
        Conditions against(HostShare fastest) {
            return Conditions.of(before, after, probes, fastest);
        }
    }

    /**
     * {@code the machine was NOT idle during K of N measurements (REASON in k1, REASON in k2): ...},
     * from the reasons each measurement that was not idle gave ({@link Conditions#notIdleBecause}).
     */
    static String notIdleSummary(List<List<String>> reasonsPerBusyMeasurement, int measurements) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        reasonsPerBusyMeasurement.forEach(why -> why.forEach(reason -> counts.merge(reason, 1, Integer::sum)));
        List<String> parts = new ArrayList<>();
        counts.forEach((reason, n) -> parts.add(reason + " in " + n));
        return "the machine was NOT idle during " + reasonsPerBusyMeasurement.size() + " of " + measurements
                + " measurements, one core's speed judged against the run's fastest probe (" + String.join("; ", parts)
                + "): their figures say what this machine gave under that load, not what it can do";
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
     * {@code all N targets met}, or the missed ones by name, each measured while the machine was
     * not idle (it is in {@code notIdle}) marked so, and when every miss is such a one, a word that
     * they may be the machine's rather than the code's.
     */
    static String verdict(List<Figure> figures, List<Figure> notIdle) {
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
