package dev.mmutrace.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report for a terminal: per trace one aligned table with the models side by side (three
 * models fit in 80 columns), then the first validation failures and the remarks; for several
 * traces a summary table; the cost table last. docs/report-format.md says how to read it.
 */
public final class TextReport {
    private static final int WIDTH = 80;
    private static final String NONE = FigureRows.NONE;

    private TextReport() {
    }

    /** The whole text output of a batch. */
    public static String write(ReportBatch batch) {
        StringBuilder out = new StringBuilder();
        for (TraceReport r : batch.reports()) {
            trace(r, out);
            out.append('\n');
        }
        if (batch.reports().size() > 1) {
            summary(batch, out);
            out.append('\n');
        }
        costTable(batch, out);
        return out.toString();
    }

    /** One trace's table, failures and remarks. */
    public static String write(TraceReport report) {
        StringBuilder out = new StringBuilder();
        trace(report, out);
        return out.toString();
    }

    private static void trace(TraceReport r, StringBuilder out) {
        TraceInfo t = r.trace();
        StringBuilder head = new StringBuilder(t.path()).append(": ").append(t.pagingMode()).append(", ")
                .append(t.vcpus()).append(t.vcpus() == 1 ? " vCPU, " : " vCPUs, ").append(FigureRows.num(t.events())).append(" events");
        if (!t.labels().isEmpty()) {
            List<String> labels = new ArrayList<>();
            t.labels().forEach((k, v) -> labels.add(k + "=" + v));
            head.append(" (").append(String.join(", ", labels)).append(')');
        }
        wrap(head.toString(), "", "    ", out);
        t.window().ifPresent(w -> wrap(w.described(), "    ", "    ", out));
        if (t.gaps().count() > 0) {
            wrap(t.gaps().described(), "    ", "    ", out);
        }
        List<String> order = ModelOrder.of(r.models().keySet());
        TextTable table = new TextTable(1);
        List<String> columns = new ArrayList<>(List.of(""));
        columns.addAll(order);
        table.row(columns);
        for (FigureRows.Row row : FigureRows.rows(r.models().values())) {
            if (r.models().values().stream().allMatch(m -> row.cell().apply(m).isEmpty())) {
                continue;
            }
            List<String> cells = new ArrayList<>(List.of(row.label()));
            order.forEach(name -> cells.add(row.cell().apply(r.models().get(name)).orElse(NONE)));
            table.row(cells);
        }
        table.appendTo(out);
        failures(r, out);
        remarks(r, out);
    }

    private static void failures(TraceReport r, StringBuilder out) {
        boolean any = r.models().values().stream().anyMatch(m -> m.validationFailures().total() > 0);
        if (!any) {
            return;
        }
        out.append("\nfirst validation failures\n");
        for (String name : ModelOrder.of(r.models().keySet())) {
            ValidationFailures v = r.models().get(name).validationFailures();
            for (FailureRecord f : v.first()) {
                out.append(String.format(Locale.ROOT, "  %-7s event %-9s cpu %-3d %s%n", name,
                        FigureRows.num(f.event()), f.cpu(), f.reason()));
                wrap(f.message(), "          ", out);
            }
            long more = v.total() - v.first().size();
            if (more > 0) {
                wrap(String.format(Locale.ROOT, "%-7s ... and %s more (by reason: %s)", name, FigureRows.num(more),
                        v.byReason()), "  ", out);
            }
        }
    }

    private static void remarks(TraceReport r, StringBuilder out) {
        boolean any = r.models().values().stream().anyMatch(m -> !m.remarks().isEmpty());
        if (!any) {
            return;
        }
        out.append("\nremarks\n");
        for (String name : ModelOrder.of(r.models().keySet())) {
            for (RemarkEntry m : r.models().get(name).remarks()) {
                String times = m.count() > 1 ? ", " + FigureRows.num(m.count()) + " times" : "";
                out.append(String.format(Locale.ROOT, "  %-7s %s (event %s%s)%n", name, m.key(),
                        FigureRows.num(m.event()), times));
                wrap(m.text(), "          ", out);
            }
        }
    }

    private static void summary(ReportBatch batch, StringBuilder out) {
        TextTable table = new TextTable(2).row(List.of("summary", "model", "events", "fails", "wasted", "missed",
                "exits", "est. cycles"));
        for (TraceReport r : batch.reports()) {
            for (String name : ModelOrder.of(r.models().keySet())) {
                ModelReport m = r.models().get(name);
                table.row(summaryRow(r.trace().path(), name, m.eventsReplayed(), m.validationFailures().total(),
                        m.flushes().wasted(), m.flushes().missed(), m.exits().total(), m.estimatedCycles()));
            }
        }
        Map<String, SummaryTotals> totals = batch.summary().models();
        for (String name : ModelOrder.of(totals.keySet())) {
            SummaryTotals s = totals.get(name);
            table.row(summaryRow("all traces", name, s.eventsReplayed(), s.validationFailures(), s.wastedFlushes(),
                    s.missedFlushes(), s.exits(), s.estimatedCycles()));
        }
        table.appendTo(out);
    }

    private static List<String> summaryRow(String trace, String model, long... figures) {
        List<String> cells = new ArrayList<>(List.of(trace, model));
        for (long f : figures) {
            cells.add(FigureRows.num(f));
        }
        return cells;
    }

    private static void costTable(ReportBatch batch, StringBuilder out) {
        List<String> items = new ArrayList<>();
        batch.costTable().asMap().forEach((k, v) -> items.add(k + "=" + v));
        wrap("cost table (cycles each, an estimate; docs/cost-model.md): " + String.join(" ", items), "", out);
    }

    /** Words of {@code text} on lines of at most 80 columns, each starting with {@code indent}. */
    private static void wrap(String text, String indent, StringBuilder out) {
        wrap(text, indent, indent, out);
    }

    private static void wrap(String text, String first, String rest, StringBuilder out) {
        String indent = first;
        StringBuilder line = new StringBuilder(indent);
        for (String word : text.split(" ")) {
            if (line.length() > indent.length() && line.length() + 1 + word.length() > WIDTH) {
                out.append(line).append('\n');
                indent = rest;
                line = new StringBuilder(indent);
            }
            if (line.length() > indent.length()) {
                line.append(' ');
            }
            line.append(word);
        }
        out.append(line).append('\n');
    }
}
