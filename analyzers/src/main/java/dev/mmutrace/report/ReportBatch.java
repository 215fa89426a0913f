package dev.mmutrace.report;

import com.google.common.collect.ImmutableList;
import dev.mmutrace.analyze.CostTable;

/** The reports of one {@code mmutrace replay} run, in input order, with what they were made with. */
public record ReportBatch(ReportOptions options, CostTable costTable, ImmutableList<TraceReport> reports) {

    public Summary summary() {
        return Summary.of(reports);
    }
}
