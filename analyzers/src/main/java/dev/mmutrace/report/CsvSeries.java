package dev.mmutrace.report;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** The time series as CSV: one row per trace, model and bucket (docs/report-format.md, "CSV"). */
public final class CsvSeries {
    static final String[] COLUMNS = {"trace", "model", "first_event", "last_event", "flushes", "wasted_flushes",
        "missed_flushes", "exits", "hypercalls", "faults", "validation_failures", "shadow_fills", "shadow_discarded",
        "pgdir_misses"};

    private CsvSeries() {
    }

    public static String write(List<TraceReport> reports) {
        StringWriter out = new StringWriter();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader(COLUMNS).setRecordSeparator("\n").build();
        try (CSVPrinter csv = new CSVPrinter(out, format)) {
            for (TraceReport r : reports) {
                for (String model : ModelOrder.of(r.models().keySet())) {
                    Series s = r.models().get(model).series();
                    for (SeriesBucket b : s.buckets()) {
                        long last = Math.min(b.firstEvent() + s.interval(), r.trace().events()) - 1;
                        csv.printRecord(r.trace().path(), model, b.firstEvent(), last, b.flushes(), b.wastedFlushes(),
                                b.missedFlushes(), b.exits(), b.hypercalls(), b.faults(), b.validationFailures(),
                                b.shadowFills(), b.shadowDiscarded(), b.pgdirMisses());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
