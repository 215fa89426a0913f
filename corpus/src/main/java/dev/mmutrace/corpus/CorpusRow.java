package dev.mmutrace.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.mmutrace.report.ModelReport;
import dev.mmutrace.report.ReportJson;
import dev.mmutrace.report.TraceReport;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The table's row for one (trace, model): the trace's columns ({@code trace}, {@code model},
 * {@code error}, {@code events}, {@code paging_mode}, {@code vcpus}, the {@code labels} struct),
 * then the model's figures under the JSON report's own keys, nested as they are there. Made by
 * the report's own JSON mapper, so a column is a report key by construction. Lists (the first
 * failures, the time series, the remarks) are not figures and stay out, as they do in the diff;
 * empty objects stay out too, because Parquet has no empty struct.
 */
final class CorpusRow {
    /** The columns that say which trace and model a row is; the rest are figures. */
    static final ImmutableSet<String> TRACE_COLUMNS =
            ImmutableSet.of("trace", "model", "error", "events", "paging_mode", "vcpus", "labels", "gaps");

    private static final ObjectMapper MAPPER = ReportJson.reader();

    private CorpusRow() {
    }

    /** One row per model of a replayed trace, in model order. */
    static ImmutableList<String> of(TraceReport report) {
        ImmutableList.Builder<String> rows = ImmutableList.builder();
        for (Map.Entry<String, ModelReport> m : report.models().entrySet()) {
            ObjectNode row = MAPPER.createObjectNode();
            row.put("trace", report.trace().path());
            row.put("model", m.getKey());
            row.put("events", report.trace().events());
            row.put("paging_mode", report.trace().pagingMode());
            row.put("vcpus", report.trace().vcpus());
            ObjectNode labels = row.putObject("labels");
            report.trace().labels().forEach(labels::put);
            // the trace's gaps as the report counts them (its list of gaps is not a figure)
            ObjectNode gaps = row.putObject("gaps");
            gaps.put("count", report.trace().gaps().count());
            gaps.put("events_lost", report.trace().gaps().eventsLost());
            gaps.put("of_unknown_size", report.trace().gaps().ofUnknownSize());
            ObjectNode figures = MAPPER.valueToTree(m.getValue());
            figures.fields().forEachRemaining(f -> row.set(f.getKey(), f.getValue()));
            withoutListsOrEmptyObjects(row);
            rows.add(row.toString());
        }
        return rows.build();
    }

    /** One row per model for a trace that failed: which trace and model, and the error. */
    static ImmutableList<String> broken(String trace, List<String> models, String error) {
        ImmutableList.Builder<String> rows = ImmutableList.builder();
        for (String model : models) {
            ObjectNode row = MAPPER.createObjectNode();
            row.put("trace", trace);
            row.put("model", model);
            row.put("error", error);
            rows.add(row.toString());
        }
        return rows.build();
    }

    /** Removes arrays, then objects left empty, at every level below {@code node}. */
    private static void withoutListsOrEmptyObjects(ObjectNode node) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            JsonNode v = it.next().getValue();
            if (v instanceof ObjectNode o) {
                withoutListsOrEmptyObjects(o);
            }
            if (v.isArray() || (v.isObject() && v.isEmpty())) {
                it.remove();
            }
        }
    }
}
