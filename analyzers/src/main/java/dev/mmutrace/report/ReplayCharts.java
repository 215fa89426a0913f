package dev.mmutrace.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The charts of one trace on the HTML report: each a count per time-series bucket, one line (or
 * bar) per model in the model's colour, dashed for a chart's second count. The subtle thing:
 * models often count exactly the same (no missed flush anywhere, native and xen faulting alike),
 * and drawn apart such series hide each other; so identical series of a chart are drawn once,
 * labelled with every model they stand for, and a note under the chart says so.
 */
final class ReplayCharts {
    private ReplayCharts() {
    }

    /** One chart: what the page's script needs to draw it, and the notes shown under it. */
    record Chart(String id, String title, String xTitle, String yTitle, List<Dataset> datasets, List<String> notes) {
    }

    /** One drawn series: the models it stands for (several when their series are identical). */
    record Dataset(String label, List<String> models, String colour, boolean dashed, List<Long> data) {
    }

    /** One count a chart shows for every model. */
    private record Count(String name, ToLongFunction<SeriesBucket> of, boolean dashed) {
    }

    static List<Chart> of(String traceId, TraceReport r, List<String> order, Map<String, String> colours) {
        Series first = r.models().get(order.get(0)).series();
        String per = first.interval() == 1 ? "per event" : "per " + FigureRows.num(first.interval()) + " events";
        String x = "event (first event of each bucket of " + FigureRows.num(first.interval())
                + (first.interval() == 1 ? " event)" : " events)");
        List<Chart> charts = new ArrayList<>();
        charts.add(chart(traceId + "-missed", "Missed flushes " + per, x, "missed flushes " + per, r, order, colours,
                List.of(new Count("missed flushes", SeriesBucket::missedFlushes, false))));
        charts.add(chart(traceId + "-failures", "Validation failures " + per, x, "validation failures " + per, r,
                order, colours, List.of(new Count("validation failures", SeriesBucket::validationFailures, false))));
        charts.add(chart(traceId + "-flushes", "Flushes " + per + ", and the wasted ones (dashed)", x,
                "flushes " + per, r, order, colours, List.of(new Count("flushes", SeriesBucket::flushes, false),
                        new Count("wasted", SeriesBucket::wastedFlushes, true))));
        charts.add(chart(traceId + "-exits", "Exits " + per, x, "exits " + per, r, order, colours,
                List.of(new Count("exits", SeriesBucket::exits, false))));
        charts.add(chart(traceId + "-hypercalls", "Hypercall traps, and faults (dashed), " + per, x,
                "traps or faults " + per, r, order, colours, List.of(
                        new Count("hypercall traps", SeriesBucket::hypercalls, false),
                        new Count("faults", SeriesBucket::faults, true))));
        List<String> shadowModels = order.stream().filter(n -> r.models().get(n).shadow().isPresent()).toList();
        if (!shadowModels.isEmpty()) {
            charts.add(chart(traceId + "-shadow", "Shadow churn " + per + ": entries filled, discarded (dashed),"
                    + " and pgdir misses", x, "entries or misses " + per, r, shadowModels, colours, List.of(
                            new Count("fills", SeriesBucket::shadowFills, false),
                            new Count("discarded", SeriesBucket::shadowDiscarded, true),
                            new Count("pgdir misses", SeriesBucket::pgdirMisses, false))));
        }
        return charts;
    }

    private static Chart chart(String id, String title, String x, String y, TraceReport r, List<String> models,
            Map<String, String> colours, List<Count> counts) {
        List<Dataset> datasets = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Count count : counts) {
            // Models with the same series, in model order, each group drawn once.
            Map<List<Long>, List<String>> groups = new LinkedHashMap<>();
            for (String m : models) {
                List<Long> data = r.models().get(m).series().buckets().stream().map(b -> count.of().applyAsLong(b))
                        .toList();
                groups.computeIfAbsent(data, k -> new ArrayList<>()).add(m);
            }
            String suffix = counts.size() == 1 ? "" : " " + count.name();
            groups.forEach((data, same) -> {
                datasets.add(new Dataset(String.join(" = ", same) + suffix, same, colours.get(same.get(0)),
                        count.dashed(), data));
                if (same.size() > 1) {
                    boolean none = data.stream().allMatch(v -> v == 0);
                    notes.add(inWords(same) + ": identical " + count.name() + " series, drawn once in "
                            + same.get(0) + "'s colour" + (none ? " (none in any bucket)" : ""));
                }
            });
        }
        return new Chart(id, title, x, y, datasets, notes);
    }

    /** "native and xen", "native, xen and lguest". */
    private static String inWords(List<String> models) {
        int last = models.size() - 1;
        return last == 0 ? models.get(0) : String.join(", ", models.subList(0, last)) + " and " + models.get(last);
    }
}
