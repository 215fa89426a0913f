package dev.mmutrace.report;

import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTML report: one page that works offline. The page is a Mustache template
 * ({@code report.html.mustache}); the charts are drawn in the browser by Chart.js, whose bundle is
 * read from its WebJar on the class path and inlined, so the file needs no network. Each trace's
 * time series travels as a JSON block the page's script turns into charts.
 */
public final class HtmlReport {
    private static final String TEMPLATE = "report.html.mustache";

    private HtmlReport() {
    }

    public static String write(ReportBatch batch) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("title", "mmutrace report");
        page.put("subtitle", batch.reports().size() + (batch.reports().size() == 1 ? " trace" : " traces")
                + ", models " + String.join(", ", ModelOrder.of(java.util.Set.copyOf(batch.options().models())))
                + ", seed " + batch.options().seed());
        page.put("hasSummary", batch.reports().size() > 1);
        page.put("summary", summaryRows(batch));
        // One colour per model across the page: by its place among all the page's models.
        Map<String, String> colours = ModelColours.of(ModelOrder.of(java.util.Set.copyOf(batch.options().models())));
        List<Object> traces = new ArrayList<>();
        for (int i = 0; i < batch.reports().size(); i++) {
            traces.add(trace(i, batch.reports().get(i), colours));
        }
        page.put("traces", traces);
        List<Object> costs = new ArrayList<>();
        batch.costTable().asMap().forEach((k, v) -> costs.add(ImmutableMap.of("key", k, "value", v)));
        page.put("costTable", costs);
        return HtmlPage.render(TEMPLATE, page);
    }

    private static List<Object> summaryRows(ReportBatch batch) {
        List<Object> rows = new ArrayList<>();
        for (TraceReport r : batch.reports()) {
            for (String name : ModelOrder.of(r.models().keySet())) {
                ModelReport m = r.models().get(name);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("trace", r.trace().path());
                row.put("model", name);
                row.put("events", FigureRows.num(m.eventsReplayed()));
                row.put("failures", FigureRows.num(m.validationFailures().total()));
                row.put("wasted", FigureRows.num(m.flushes().wasted()));
                row.put("missed", FigureRows.num(m.flushes().missed()));
                row.put("exits", FigureRows.num(m.exits().total()));
                row.put("cycles", FigureRows.num(m.estimatedCycles()));
                rows.add(row);
            }
        }
        return rows;
    }

    private static Map<String, Object> trace(int index, TraceReport r, Map<String, String> colours) {
        List<String> order = ModelOrder.of(r.models().keySet());
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("id", "t" + index);
        t.put("path", r.trace().path());
        StringBuilder header = new StringBuilder().append(r.trace().pagingMode()).append(", ")
                .append(r.trace().vcpus()).append(" vCPUs, ").append(FigureRows.num(r.trace().events())).append(" events");
        r.trace().labels().forEach((k, v) -> header.append(", ").append(k).append('=').append(v));
        r.trace().window().ifPresent(w -> header.append("; ").append(w.described()));
        if (r.trace().gaps().count() > 0) {
            header.append("; ").append(r.trace().gaps().described());
        }
        t.put("header", header.toString());
        t.put("models", order);
        List<Object> rows = new ArrayList<>();
        for (FigureRows.Row row : FigureRows.rows(r.models().values())) {
            if (r.models().values().stream().allMatch(m -> row.cell().apply(m).isEmpty())) {
                continue;
            }
            List<String> cells = new ArrayList<>();
            order.forEach(name -> cells.add(row.cell().apply(r.models().get(name)).orElse(FigureRows.NONE)));
            rows.add(ImmutableMap.of("label", row.label(), "cells", cells));
        }
        t.put("rows", rows);
        List<Object> failures = new ArrayList<>();
        List<Object> remarks = new ArrayList<>();
        for (String name : order) {
            for (FailureRecord f : r.models().get(name).validationFailures().first()) {
                failures.add(ImmutableMap.of("model", name, "event", f.event(), "cpu", f.cpu(), "reason", f.reason(),
                        "message", f.message()));
            }
            for (RemarkEntry m : r.models().get(name).remarks()) {
                remarks.add(ImmutableMap.of("model", name, "key", m.key(), "event", m.event(), "text", m.text(),
                        "times", m.count() > 1 ? String.valueOf(m.count()) : ""));
            }
        }
        t.put("failures", failures);
        t.put("hasFailures", !failures.isEmpty());
        t.put("remarks", remarks);
        t.put("hasRemarks", !remarks.isEmpty());
        List<ReplayCharts.Chart> charts = ReplayCharts.of(t.get("id").toString(), r, order, colours);
        t.put("charts", charts);
        t.put("data", chartData(r.models().get(order.get(0)).series().buckets().stream().map(SeriesBucket::firstEvent)
                .toList(), charts));
        return t;
    }

    /** The charts of a trace as the page's script reads them: bucket labels and each chart's datasets. */
    private static String chartData(List<Long> labels, List<ReplayCharts.Chart> charts) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("labels", labels);
        d.put("charts", charts);
        return HtmlPage.scriptData(d);
    }
}
