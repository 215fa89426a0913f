package dev.mmutrace.report;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The time series as CSV: one row per trace, model and bucket (docs/report-format.md, "CSV"). The
 * counters of models' own work follow the fixed columns as {@code work.NAME}, only when a model
 * of the reports declares some; a model without that counter leaves its cell empty. {@code gaps}
 * is the trace's (the same for each model), {@code unknown_state} the model's.
 */
public final class CsvSeries {
    static final String[] COLUMNS = {"trace", "model", "first_event", "last_event", "flushes", "wasted_flushes",
        "missed_flushes", "exits", "hypercalls", "faults", "validation_failures", "shadow_fills", "shadow_discarded",
        "pgdir_misses", "unknown_state", "gaps"};

    private CsvSeries() {
    }

    /** The trace's gaps among events [first, last]: the same in every model's row of the bucket. */
    private static long gapsIn(Gaps gaps, long first, long last) {
        return gaps.list().stream().filter(g -> g.event() >= first && g.event() <= last).count();
    }

    public static String write(List<TraceReport> reports) {
        StringWriter out = new StringWriter();
        SortedSet<String> counters = new TreeSet<>();
        reports.forEach(r -> r.models().values().forEach(m -> m.work().ifPresent(w -> counters.addAll(w.keySet()))));
        List<String> header = new ArrayList<>(Arrays.asList(COLUMNS));
        counters.forEach(c -> header.add("work." + c));
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new))
                .setRecordSeparator("\n").build();
        try (CSVPrinter csv = new CSVPrinter(out, format)) {
            for (TraceReport r : reports) {
                for (String model : ModelOrder.of(r.models().keySet())) {
                    Series s = r.models().get(model).series();
                    for (SeriesBucket b : s.buckets()) {
                        long last = Math.min(b.firstEvent() + s.interval(), r.trace().endEvent()) - 1;
                        List<Object> row = new ArrayList<>(List.of(r.trace().path(), model, b.firstEvent(), last,
                                b.flushes(), b.wastedFlushes(), b.missedFlushes(), b.exits(), b.hypercalls(),
                                b.faults(), b.validationFailures(), b.shadowFills(), b.shadowDiscarded(),
                                b.pgdirMisses(), b.unknownState(), gapsIn(r.trace().gaps(), b.firstEvent(), last)));
                        counters.forEach(c -> row.add(b.work().flatMap(w -> Optional.ofNullable(w.get(c)))
                                .map(String::valueOf).orElse("")));
                        csv.printRecord(row);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
