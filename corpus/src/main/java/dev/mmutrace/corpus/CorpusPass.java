package dev.mmutrace.corpus;

import java.io.Serializable;
import org.apache.spark.sql.types.StructType;

/**
 * What the pass that replays the corpus adds up, trace by trace, on the executors: the summary and
 * the table's schema. One pass for both, so the corpus job runs two Spark jobs in all (this pass,
 * then writing the table from the replayed traces it kept), not one per thing it needs.
 */
record CorpusPass(CorpusSummary summary, StructType schema) implements Serializable {

    static CorpusPass of(TraceOutcome outcome) {
        return new CorpusPass(CorpusSummary.of(outcome), RowSchema.of(outcome.rows()));
    }

    CorpusPass plus(CorpusPass other) {
        return new CorpusPass(summary.plus(other.summary), RowSchema.union(schema, other.schema));
    }
}
