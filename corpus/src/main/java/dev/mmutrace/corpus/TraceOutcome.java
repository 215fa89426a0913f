package dev.mmutrace.corpus;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.mmutrace.report.SummaryTotals;
import java.io.Serializable;

/**
 * What one trace of a corpus became on its executor: the table's rows for it (JSON lines, one per
 * model) and what the summary needs. Small and serializable: the replay's state stays where it ran.
 */
sealed interface TraceOutcome extends Serializable {

    /** The trace's URI. */
    String trace();

    /** One JSON object per model, the table's rows for this trace. */
    ImmutableList<String> rows();

    /** A trace that replayed: its labels and each model's key figures. */
    record Replayed(String trace, ImmutableSortedMap<String, String> labels, ImmutableList<String> rows,
            ImmutableSortedMap<String, SummaryTotals> totals) implements TraceOutcome {
    }

    /** A trace that could not be read or replayed: the one-line error, in every model's row. */
    record Broken(String trace, String error, ImmutableList<String> rows) implements TraceOutcome {
    }
}
