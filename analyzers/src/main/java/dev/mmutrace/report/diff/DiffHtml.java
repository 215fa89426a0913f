package dev.mmutrace.report.diff;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.mmutrace.report.HtmlPage;
import dev.mmutrace.report.ModelColours;
import dev.mmutrace.report.ModelOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A diff as one self-contained page for a reviewer: the verdict first, then the regressions
 * (metric, model, base, new, change, threshold), the first events that show each new validation
 * failure or missed flush, and a chart per regressed metric of base against new over the trace;
 * every other change, the unmatched traces and the thresholds below, folded.
 *
 * <p>The charts are cumulative: the count so far against the events replayed so far, from each
 * report's own time series. So base and new compare even when their bucket sizes differ, the last
 * point is the figure in the table, and where the lines part is where the regression starts.
 */
public final class DiffHtml {
    private static final String TEMPLATE = "diff.html.mustache";

    private DiffHtml() {
    }

    /** A chart of one regressed metric of one model: base and new, as (events so far, count so far). */
    record Chart(String id, String title, String model, String colour, String xTitle, String yTitle,
            List<long[]> base, List<long[]> next) {
    }

    public static String write(DiffResult d) {
        List<Regression> regressions = Regression.of(d);
        Map<String, String> colours = colours(d);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("base", d.basePath());
        page.put("next", d.newPath());
        page.put("verdict", DiffRender.verdict(d));
        page.put("regression", d.regressions() > 0);
        List<Object> rows = new ArrayList<>();
        List<Chart> charts = new ArrayList<>();
        List<String> uncharted = new ArrayList<>();
        for (Regression r : regressions) {
            MetricChange c = r.change();
            rows.add(row(c, colours));
            Optional<Chart> chart = chart(d, c, colours, "c" + charts.size());
            chart.ifPresentOrElse(charts::add, () -> uncharted.add(c.model() + " " + c.metric() + " on " + c.trace()));
        }
        page.put("regressions", rows);
        page.put("hasRegressions", !rows.isEmpty());
        List<Object> causes = new ArrayList<>();
        for (Regression.Cause c : Regression.causes(regressions)) {
            List<Object> events = new ArrayList<>();
            for (Regression.Row e : c.rows()) {
                events.add(ImmutableMap.of("event", num(e.event().event()), "cpu", e.event().cpu(), "what",
                        e.event().what(), "detail", e.event().detail(), "status", e.inBase() ? "in base too" : "new",
                        "fresh", !e.inBase()));
            }
            causes.add(ImmutableMap.of("model", c.model(), "trace", c.trace(), "kind", c.kind(), "events", events,
                    "empty", events.isEmpty(), "colour", colours.getOrDefault(c.model(), "#000000")));
        }
        page.put("causes", causes);
        page.put("charts", charts);
        page.put("hasCharts", !charts.isEmpty());
        page.put("uncharted", uncharted);
        page.put("hasUncharted", !uncharted.isEmpty());
        List<Object> all = new ArrayList<>();
        d.changes().forEach(c -> all.add(row(c, colours)));
        page.put("changes", all);
        page.put("changeCount", num(d.changes().size()));
        page.put("unmatched", d.unmatched());
        page.put("hasUnmatched", !d.unmatched().isEmpty());
        page.put("thresholds", d.thresholds().stream().map(Threshold::toString).toList());
        page.put("data", HtmlPage.scriptData(ImmutableMap.of("charts", charts)));
        return HtmlPage.render(TEMPLATE, page);
    }

    private static Map<String, Object> row(MetricChange c, Map<String, String> colours) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("trace", c.trace());
        row.put("model", c.model());
        row.put("colour", colours.getOrDefault(c.model(), "#000000"));
        row.put("metric", c.metric());
        row.put("base", num(c.base()));
        row.put("next", num(c.next()));
        row.put("change", DiffRender.change(c));
        row.put("threshold", c.crossed().map(Threshold::toString).orElse(""));
        return row;
    }

    private static Optional<Chart> chart(DiffResult d, MetricChange c, Map<String, String> colours, String id) {
        TraceEvidence e = d.evidenceOf(c);
        Optional<ImmutableList<long[]>> base = e.base(c.model()).cumulative(c.metric());
        Optional<ImmutableList<long[]>> next = e.next(c.model()).cumulative(c.metric());
        if (base.isEmpty() || next.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Chart(id, c.model() + ": " + c.metric() + " on " + c.trace() + ", base (dashed) and new",
                c.model(), colours.getOrDefault(c.model(), "#000000"), "events replayed so far",
                c.metric() + " so far (count)", base.get(), next.get()));
    }

    /** One colour per model, the replay page's palette, over every model either report has. */
    private static Map<String, String> colours(DiffResult d) {
        Set<String> models = new TreeSet<>();
        d.evidence().values().forEach(t -> {
            models.addAll(t.base().keySet());
            models.addAll(t.next().keySet());
        });
        d.changes().forEach(c -> models.add(c.model()));
        return ModelColours.of(ModelOrder.of(models));
    }

    private static String num(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }
}
