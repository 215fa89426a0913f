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

    /** The measurements of a full run, quickest first, the memory run (two child JVMs) last. */
    public static List<Measurement> standard() {
        return List.of(new DecodeRatio(), new ModelRates(), new CsvDecode(), new FtraceImport(), new BatchScaling(),
                new MemoryBound());
    }

    /** Runs every measurement; every figure, in order. */
    public ImmutableList<Figure> run(BenchInputs inputs) {
        ImmutableList.Builder<Figure> all = ImmutableList.builder();
        for (Measurement m : measurements) {
            out.println(m.title());
            out.flush();
            for (Figure f : m.run(inputs)) {
                out.println(line(f));
                all.add(f);
            }
            out.flush();
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
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
