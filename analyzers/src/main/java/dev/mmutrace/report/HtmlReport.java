package dev.mmutrace.report;

import com.google.common.collect.ImmutableMap;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The HTML report: one page that works offline. The page is a Mustache template
 * ({@code report.html.mustache}); the charts are drawn in the browser by Chart.js, whose bundle is
 * read from its WebJar on the class path and inlined, so the file needs no network. Each trace's
 * time series travels as a JSON block the page's script turns into charts.
 */
public final class HtmlReport {
    private static final String TEMPLATE = "report.html.mustache";
    private static final String CHARTJS_POM = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";
    private static final String CHARTJS = "META-INF/resources/webjars/chart.js/%s/dist/chart.umd.js";
    /** The bundle's last line points a browser's developer tools at a source map the page does not carry. */
    private static final String SOURCE_MAP = "//# sourceMappingURL=";

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
        List<Object> traces = new ArrayList<>();
        for (int i = 0; i < batch.reports().size(); i++) {
            traces.add(trace(i, batch.reports().get(i)));
        }
        page.put("traces", traces);
        List<Object> costs = new ArrayList<>();
        batch.costTable().asMap().forEach((k, v) -> costs.add(ImmutableMap.of("key", k, "value", v)));
        page.put("costTable", costs);
        page.put("chartjs", chartJs());
        return template().execute(page);
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

    private static Map<String, Object> trace(int index, TraceReport r) {
        List<String> order = ModelOrder.of(r.models().keySet());
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("id", "t" + index);
        t.put("path", r.trace().path());
        StringBuilder header = new StringBuilder().append(r.trace().pagingMode()).append(", ")
                .append(r.trace().vcpus()).append(" vCPUs, ").append(FigureRows.num(r.trace().events())).append(" events");
        r.trace().labels().forEach((k, v) -> header.append(", ").append(k).append('=').append(v));
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
        List<String> shadowModels = order.stream().filter(n -> r.models().get(n).shadow().isPresent()).toList();
        t.put("hasShadow", !shadowModels.isEmpty());
        t.put("data", chartData(r, order, shadowModels));
        return t;
    }

    /** The series of every model as columns, for the page's script; "</" escaped so it cannot end the script block. */
    private static String chartData(TraceReport r, List<String> order, List<String> shadowModels) {
        Map<String, Object> d = new LinkedHashMap<>();
        Series first = r.models().get(order.get(0)).series();
        d.put("interval", first.interval());
        d.put("labels", first.buckets().stream().map(SeriesBucket::firstEvent).toList());
        d.put("models", order);
        d.put("shadowModels", shadowModels);
        Map<String, Object> series = new LinkedHashMap<>();
        for (String name : order) {
            List<SeriesBucket> b = r.models().get(name).series().buckets();
            Map<String, Object> cols = new LinkedHashMap<>();
            cols.put("flushes", b.stream().map(SeriesBucket::flushes).toList());
            cols.put("wasted_flushes", b.stream().map(SeriesBucket::wastedFlushes).toList());
            cols.put("exits", b.stream().map(SeriesBucket::exits).toList());
            cols.put("hypercalls", b.stream().map(SeriesBucket::hypercalls).toList());
            cols.put("faults", b.stream().map(SeriesBucket::faults).toList());
            cols.put("shadow_fills", b.stream().map(SeriesBucket::shadowFills).toList());
            cols.put("shadow_discarded", b.stream().map(SeriesBucket::shadowDiscarded).toList());
            cols.put("pgdir_misses", b.stream().map(SeriesBucket::pgdirMisses).toList());
            series.put(name, cols);
        }
        d.put("series", series);
        return ReportJson.compact(d).replace("</", "<\\/");
    }

    private static Template template() {
        try (Reader r = new InputStreamReader(resource(HtmlReport.class, TEMPLATE), StandardCharsets.UTF_8)) {
            return Mustache.compiler().escapeHTML(true).emptyStringIsFalse(true).compile(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Chart.js's UMD bundle from its WebJar, found by the version the WebJar's own pom.properties names. */
    static String chartJs() {
        ClassLoader loader = HtmlReport.class.getClassLoader();
        Properties pom = new Properties();
        try (InputStream in = loader.getResourceAsStream(CHARTJS_POM)) {
            if (in == null) {
                throw new IllegalStateException("the Chart.js WebJar is not on the class path (" + CHARTJS_POM + ")");
            }
            pom.load(in);
            String path = String.format(Locale.ROOT, CHARTJS, pom.getProperty("version"));
            try (InputStream js = loader.getResourceAsStream(path)) {
                if (js == null) {
                    throw new IllegalStateException("no " + path + " in the Chart.js WebJar");
                }
                String bundle = new String(js.readAllBytes(), StandardCharsets.UTF_8);
                int map = bundle.lastIndexOf(SOURCE_MAP);
                return map < 0 ? bundle : bundle.substring(0, map);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(Class<?> near, String name) {
        InputStream in = near.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("missing resource " + name);
        }
        return in;
    }
}
