package dev.mmutrace.corpus;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedMap;
import dev.mmutrace.analyze.BatchReplay;
import dev.mmutrace.analyze.CostTable;
import dev.mmutrace.analyze.TraceSource;
import dev.mmutrace.cli.FailureLine;
import dev.mmutrace.cli.ReplayChoices;
import dev.mmutrace.replay.ModelFactory;
import dev.mmutrace.replay.ModelOptions;
import dev.mmutrace.report.ModelReport;
import dev.mmutrace.report.SummaryTotals;
import dev.mmutrace.report.TraceReport;
import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.io.TraceFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.Function;

/**
 * The task of the corpus job: one whole trace, read from its Hadoop file system and replayed on
 * the executor exactly as {@code mmutrace replay} replays it on one machine (the same
 * {@link BatchReplay}, models, seed, settings and cost table, the driver's {@link CostTable} sent as
 * its map), so a row's figures are the single-machine report's. A trace that cannot be read or replayed
 * becomes its error, not a failed job: the corpus always finishes with every trace accounted for.
 */
final class TraceReplay implements Function<String, TraceOutcome> {
    private static final long serialVersionUID = 1L;

    private final HadoopConf conf;
    private final String models;
    private final long seed;
    private final ImmutableSortedMap<String, String> settings;
    private final ImmutableSortedMap<String, Long> costs;

    TraceReplay(HadoopConf conf, String models, long seed, ImmutableSortedMap<String, String> settings,
            ImmutableSortedMap<String, Long> costs) {
        this.conf = conf;
        this.models = models;
        this.seed = seed;
        this.settings = settings;
        this.costs = costs;
    }

    @Override
    public TraceOutcome call(String trace) {
        List<ModelFactory> factories = ReplayChoices.models(models);
        try {
            TraceReport report = new BatchReplay(factories, new ModelOptions(seed, ImmutableMap.copyOf(settings)),
                    CostTable.fromMap(costs), 0).replay(new TraceSource(trace, () -> open(trace)));
            ImmutableSortedMap.Builder<String, SummaryTotals> totals = ImmutableSortedMap.naturalOrder();
            for (Map.Entry<String, ModelReport> m : report.models().entrySet()) {
                totals.put(m.getKey(), SummaryTotals.of(m.getValue()));
            }
            return new TraceOutcome.Replayed(trace, report.trace().labels(), CorpusRow.of(report), totals.build());
        } catch (RuntimeException e) {
            String error = FailureLine.of(e);
            return new TraceOutcome.Broken(trace, error, CorpusRow.broken(trace, ReplayChoices.names(factories), error));
        }
    }

    private TraceReader open(String trace) {
        Path path = new Path(trace);
        try {
            return TraceFiles.open(path.getFileSystem(conf.get()).open(path), trace);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
