package dev.mmutrace.report;

import com.google.common.collect.ImmutableSortedMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A batch's figures per model, added up over its traces. */
public record Summary(long traces, ImmutableSortedMap<String, SummaryTotals> models) {

    public static Summary of(List<TraceReport> reports) {
        Map<String, SummaryTotals> totals = new TreeMap<>();
        for (TraceReport r : reports) {
            r.models().forEach((name, m) -> totals.merge(name, SummaryTotals.ZERO.plus(m),
                    (a, b) -> a.plus(m)));
        }
        return new Summary(reports.size(), ImmutableSortedMap.copyOf(totals));
    }
}
