package dev.mmutrace.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Speeds as a user sees them: commands run as whole processes (a JVM's start included) side by
 * side over the same input ({@link SideBySide}), each command's rate in the input's units, and
 * the ratios between them, each measured in this run. A bench figure of this kind is a title,
 * the commands and the ratios, e.g. the ftrace import against {@code mawk}:
 *
 * <pre>{@code
 * new ProcessFigures("ftrace import, whole processes",
 *         in -> Contest.of(in.ftraceLines(), "lines",
 *                 Child.mmutrace(in, "mmutrace convert", "convert", ...),
 *                 Child.of("mawk", "mawk", "{n+=NF} END {print n}", in.ftrace().toString())),
 *         Ratio.held("mmutrace convert", "mawk", 0.5))
 * }</pre>
 */
public record ProcessFigures(String title, Function<BenchInputs, Contest> contest, List<Ratio> ratios,
        Function<BenchSettings, Timing> rounds) implements Measurement {

    /** The commands of one figure and the size of the input they all process, in {@code unit}s. */
    public record Contest(long units, String unit, List<Child> commands) {
        public static Contest of(long units, String unit, Child... commands) {
            return new Contest(units, unit, List.of(commands));
        }
    }

    /** Timed over the settings' rounds ({@link BenchSettings#timing}). */
    public ProcessFigures(String title, Function<BenchInputs, Contest> contest, Ratio... ratios) {
        this(title, contest, List.of(ratios), BenchSettings::timing);
    }

    /** The same figure timed over the settings' longer rounds for a target close to what the machine gives. */
    public ProcessFigures overCloseRounds() {
        return new ProcessFigures(title, contest, ratios, BenchSettings::closeRounds);
    }

    @Override
    public Measured run(BenchInputs inputs) {
        Contest c = contest.apply(inputs);
        Timing timing = rounds.apply(inputs.settings());
        Map<String, Times> times = SideBySide.run(c.commands(), timing, inputs.dir());
        List<Figure> figures = new ArrayList<>();
        for (Child child : c.commands()) {
            Times t = times.get(child.name());
            figures.add(Figure.shown(child.name(), c.units() / t.wallSeconds(), c.unit() + "/s", String.format(
                    Locale.ROOT, "whole process, median wall %.3f s of %d, cpu %.3f s: %s", t.wallSeconds(),
                    timing.runs(), t.cpuSeconds(), String.join(" ", shortWords(child, inputs)))));
        }
        for (Ratio r : ratios) {
            double ratio = times.get(r.peer()).wallSeconds() / times.get(r.ours()).wallSeconds();
            double byCpu = times.get(r.peer()).cpuSeconds() / times.get(r.ours()).cpuSeconds();
            String how = String.format(Locale.ROOT, "wall time of %s / wall time of %s (by cpu time %.2f)", r.peer(),
                    r.ours(), byCpu);
            figures.add(new Figure(r.name(), ratio, "x", r.target(), how));
        }
        return Measured.of(figures);
    }

    /** The command's words with the scratch directory and the java and launcher paths left out, for a readable line. */
    private static List<String> shortWords(Child child, BenchInputs inputs) {
        List<String> words = new ArrayList<>();
        String dir = inputs.dir().toString() + "/";
        for (String w : child.words()) {
            if (w.equals(Child.java())) {
                words.add("java");
            } else if (w.equals(inputs.launcher().toString())) {
                words.add("mmutrace");
            } else {
                words.add(w.replace(dir, ""));
            }
        }
        return words;
    }
}
