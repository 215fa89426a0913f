package dev.mmutrace.report.diff;

import java.util.Locale;

/** A diff as text for a terminal or as Markdown for a review comment. */
public final class DiffRender {
    private DiffRender() {
    }

    public static String text(DiffResult d) {
        StringBuilder out = new StringBuilder();
        out.append("base ").append(d.basePath()).append("\nnew  ").append(d.newPath()).append('\n');
        String trace = null;
        String model = null;
        for (MetricChange c : d.changes()) {
            if (!c.trace().equals(trace)) {
                trace = c.trace();
                model = null;
                out.append('\n').append(trace).append('\n');
            }
            if (!c.model().equals(model)) {
                model = c.model();
                out.append("  ").append(model).append('\n');
            }
            out.append(String.format(Locale.ROOT, "    %-44s %10d -> %-10d %+d (%s)%s%n", c.metric(), c.base(),
                    c.next(), c.delta(), relative(c), c.crossed().map(t -> "  REGRESSION " + t).orElse("")));
        }
        notes(d, out, "");
        out.append('\n').append(verdict(d)).append('\n');
        return out.toString();
    }

    /** The diff as a pull-request comment: {@link DiffMarkdown}. */
    public static String markdown(DiffResult d) {
        return DiffMarkdown.write(d);
    }

    private static void notes(DiffResult d, StringBuilder out, String bullet) {
        if (!d.unmatched().isEmpty()) {
            out.append('\n');
            d.unmatched().forEach(u -> out.append(bullet).append(u).append('\n'));
        }
    }

    /** The change as the tables show it: {@code +1 (+16.7%)}, {@code +3 (new)} from a base of 0. */
    static String change(MetricChange c) {
        return String.format(Locale.ROOT, "%+,d (%s)", c.delta(), relative(c));
    }

    static String relative(MetricChange c) {
        return c.percent().map(p -> String.format(Locale.ROOT, "%+.1f%%", p)).orElse("new");
    }

    static String verdict(DiffResult d) {
        long r = d.regressions();
        if (r > 0) {
            return "verdict: REGRESSION, " + r + (r == 1 ? " threshold crossed" : " thresholds crossed") + " ("
                    + d.changes().size() + " metrics changed)";
        }
        return "verdict: ok, no threshold crossed (" + d.changes().size() + " metrics changed)";
    }
}
