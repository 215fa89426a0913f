package dev.mmutrace.corpus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import dev.mmutrace.report.ReportJson;
import dev.mmutrace.report.diff.DiffResult;
import dev.mmutrace.report.diff.ReportDiff;
import dev.mmutrace.report.diff.Threshold;
import dev.mmutrace.trace.TraceInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code --against OLD_DIR}: two corpus runs compared trace by trace with the diff command's own
 * matching, thresholds and verdict ({@link ReportDiff}); the rows are the reports' model objects,
 * so a metric is the same key path as in {@code mmutrace diff}. What the diff cannot see is said
 * here: a trace that replayed in the old run and fails in the new one is a regression too.
 */
final class CorpusAgainst {
    private CorpusAgainst() {
    }

    /** The diff of the two tables, and the traces the new run broke. */
    record Verdict(DiffResult diff, ImmutableList<String> newlyBroken) {
        boolean regression() {
            return diff.regressions() > 0 || !newlyBroken.isEmpty();
        }

        String text() {
            StringBuilder out = new StringBuilder(dev.mmutrace.report.diff.DiffRender.text(diff));
            for (String b : newlyBroken) {
                out.append("REGRESSION: replayed in the base run, fails now: ").append(b).append('\n');
            }
            return out.toString();
        }
    }

    static Verdict compare(String oldDir, Dataset<Row> oldTable, String newDir, Dataset<Row> newTable,
            List<Threshold> thresholds) {
        Side base = Side.read(oldDir, oldTable);
        Side next = Side.read(newDir, newTable);
        ImmutableList.Builder<String> broken = ImmutableList.builder();
        next.errors.forEach((trace, error) -> {
            if (base.metrics.containsKey(trace)) {
                broken.add(error);
            }
        });
        return new Verdict(ReportDiff.compare(oldDir, base.metrics, newDir, next.metrics, thresholds),
                broken.build());
    }

    /** One run's table as the diff reads a report: trace -> model -> metric -> value; and its errors. */
    private record Side(Map<String, Map<String, Map<String, Long>>> metrics, Map<String, String> errors) {
        static Side read(String dir, Dataset<Row> table) {
            Map<String, Map<String, Map<String, Long>>> metrics = new LinkedHashMap<>();
            Map<String, String> errors = new TreeMap<>();
            for (String line : table.orderBy("trace", "model").toJSON().collectAsList()) {
                ObjectNode row = parse(dir, line);
                String trace = row.path("trace").asText();
                if (row.hasNonNull("error")) {
                    errors.put(trace, row.get("error").asText());
                    continue;
                }
                String model = row.path("model").asText();
                row.remove(CorpusRow.TRACE_COLUMNS);
                metrics.computeIfAbsent(trace, t -> new TreeMap<>()).put(model, ReportDiff.metrics(row));
            }
            return new Side(metrics, errors);
        }

        private static ObjectNode parse(String dir, String line) {
            try {
                JsonNode n = ReportJson.reader().readTree(line);
                if (n instanceof ObjectNode o && o.hasNonNull("trace") && o.hasNonNull("model")) {
                    return o;
                }
            } catch (JsonProcessingException e) {
                // reported below, as any row that is not a corpus row
            }
            throw TraceInputException.ofFile(dir, "not a corpus table of mmutrace (a row without 'trace' and 'model')");
        }
    }
}
