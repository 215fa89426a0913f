package dev.mmutrace.bench;

import com.google.common.collect.ImmutableList;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
     * before and after, and the cores other processes kept busy), and whether it was idle.
     */
    public ImmutableList<Figure> run(BenchInputs inputs) {
        ImmutableList.Builder<Figure> all = ImmutableList.builder();
        int cores = Runtime.getRuntime().availableProcessors();
        MachineLoad start = MachineLoad.now();
        List<String> busy = new ArrayList<>();
        for (Measurement m : measurements) {
            out.println(m.title());
            out.flush();
            MachineLoad before = MachineLoad.now();
            for (Figure f : m.run(inputs)) {
                out.println(line(f));
                all.add(f);
            }
            MachineLoad after = MachineLoad.now();
            out.println("  (" + before.between(after, cores) + ")");
            if (!before.idleUntil(after)) {
                busy.add(m.title());
            }
            out.flush();
        }
        MachineLoad end = MachineLoad.now();
        out.println("whole run: " + start.between(end, cores));
        if (!busy.isEmpty()) {
            out.println("the machine was NOT idle during " + busy.size() + " of " + measurements.size()
                    + " measurements: their figures say what this machine gave under that load, not what it can do");
        }
        ImmutableList<Figure> figures = all.build();
        out.println(verdict(figures));
        out.flush();
        return figures;
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

    static String verdict(List<Figure> figures) {
        long held = figures.stream().filter(f -> f.target().isPresent()).count();
        List<Figure> missed = missed(figures);
        if (missed.isEmpty()) {
            return "all " + held + " targets met";
        }
        List<String> names = new ArrayList<>();
        missed.forEach(f -> names.add(f.name()));
        return missed.size() + " of " + held + " targets missed: " + String.join(", ", names);
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
