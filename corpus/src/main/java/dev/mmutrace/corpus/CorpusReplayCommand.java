package dev.mmutrace.corpus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableSortedMap;
import dev.mmutrace.analyze.CostTable;
import dev.mmutrace.cli.DiffCommand;
import dev.mmutrace.cli.ReplayChoices;
import dev.mmutrace.replay.ModelFactory;
import dev.mmutrace.replay.Models;
import dev.mmutrace.report.ReportJson;
import dev.mmutrace.report.diff.ReportDiff;
import dev.mmutrace.report.diff.Threshold;
import dev.mmutrace.trace.TraceInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code replay INPUT... --out DIR}: the corpus job (docs/corpus.md). One Spark task per trace,
 * each replaying its whole trace on its executor; the rows, one per (trace, model), go to
 * {@code DIR/rows} as Parquet or JSON lines, the corpus totals to {@code DIR/summary.json}, and
 * with {@code --against} the verdict against an older run to {@code DIR/verdict.txt}.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replays a corpus of traces on Spark, one task per trace: a table of one row per",
                "(trace, model) with the report's figures, and the corpus summary.",
                "Exit 0 when done (broken traces are rows with their error), 1 on a regression found by",
                "--against, 2 on bad input or usage."})
public final class CorpusReplayCommand implements Callable<Integer> {
    static final String ROWS = "rows";
    static final String SUMMARY = "summary.json";
    static final String VERDICT = "verdict.txt";
    static final String FORMAT = "mmutrace-corpus/1";

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "INPUT",
            description = "trace files, directories (every trace below) and globs; local, hdfs:// or s3a://")
    private List<String> inputs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where the table and summary go (must not hold a table yet)")
    private String out;

    @Option(names = "--format", paramLabel = "parquet|json", defaultValue = "parquet",
            description = "the table's format: parquet (default) or json (JSON lines)")
    private String format;

    @Option(names = {"--models", "--model"}, paramLabel = "NAMES", defaultValue = Models.ALL,
            description = "models, comma-separated, or 'all' (default: every model of this build)")
    private String models;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "seed of every random choice (default 0)")
    private long seed;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "a model setting for what-if runs, e.g. lguest.pgdirs=8; repeatable; the keys are"
                    + " mmutrace replay's (mmutrace replay --help), any other key is refused")
    private Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--costs", paramLabel = "FILE",
            description = "cost table overrides, key=value lines (docs/cost-model.md); a file on the driver")
    private java.nio.file.Path costs;

    @Option(names = "--against", paramLabel = "OLD_DIR", description = "compare with an older run's DIR, as mmutrace diff does")
    private String against;

    @Option(names = "--threshold", paramLabel = "METRIC=+N[%]", converter = DiffCommand.ThresholdConverter.class,
            description = "with --against: a regression when METRIC changes beyond this (as mmutrace diff)")
    private List<Threshold> thresholds = new ArrayList<>();

    @Option(names = "--no-default-thresholds", description = "with --against: apply only the --threshold options given")
    private boolean noDefaults;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (default: spark-submit's, else " + CorpusSpark.LOCAL + ", Spark embedded)")
    private String master;

    @Override
    public Integer call() {
        if (!format.equals("parquet") && !format.equals("json")) {
            return fail("unknown --format '" + format + "' (parquet or json)");
        }
        List<ModelFactory> factories;
        try {
            factories = ReplayChoices.models(models);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        // as mmutrace replay checks them, before Spark starts: a typo costs no corpus run
        Optional<String> problem = Optional.ofNullable(costs).flatMap(ReplayChoices::costsProblem)
                .or(() -> ReplayChoices.settingProblem(factories, settings))
                .or(() -> ReplayChoices.settingValueProblem(factories, settings));
        if (problem.isPresent()) {
            return fail(problem.get());
        }
        CostTable table = ReplayChoices.costs(Optional.ofNullable(costs));
        SparkSession spark = CorpusSpark.session(Optional.ofNullable(master));
        try {
            return run(spark, factories, table);
        } finally {
            spark.stop();
        }
    }

    private int run(SparkSession spark, List<ModelFactory> factories, CostTable table) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path dir = new Path(out);
        Path rows = new Path(dir, ROWS);
        if (CorpusFiles.exists(conf, rows) || CorpusFiles.exists(conf, new Path(dir, SUMMARY))) {
            return fail(out + ": already holds a corpus run (" + ROWS + "/ or " + SUMMARY + "); choose a new --out");
        }
        Optional<String> oldFormat = Optional.empty();
        if (against != null) {
            Path oldSummary = new Path(new Path(against), SUMMARY);
            if (!CorpusFiles.exists(conf, oldSummary)) {
                return fail(against + ": no " + SUMMARY + " (not the --out DIR of a corpus run)");
            }
            oldFormat = Optional.of(tableFormat(against, CorpusFiles.read(conf, oldSummary)));
        }
        List<String> traces = TraceListing.expand(inputs, conf);
        if (traces.isEmpty()) {
            return fail(String.join(" ", inputs) + ": no trace files (.mmtrace, .mmtrace.gz, .csv, .csv.gz)");
        }
        ImmutableSortedMap<String, String> set = ImmutableSortedMap.copyOf(settings);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        // one partition, so one task, per trace; kept for the second job, which writes their rows
        JavaRDD<TraceOutcome> outcomes = jsc.parallelize(traces, traces.size())
                .map(new TraceReplay(new HadoopConf(conf), models, seed, set, table.asMap()))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            CorpusPass pass = outcomes.map(CorpusPass::of).reduce(CorpusPass::plus);
            CorpusSummary summary = pass.summary();
            // a few rows per trace: a file per task slot, not per trace, and no pass to infer the schema
            int files = Math.max(1, Math.min(traces.size(), jsc.defaultParallelism()));
            Dataset<String> lines = spark.createDataset(
                    outcomes.flatMap(o -> o.rows().iterator()).coalesce(files).rdd(), Encoders.STRING());
            Dataset<Row> rowsTable = spark.read().schema(pass.schema()).json(lines);
            rowsTable.write().format(format).save(rows.toString());
            CorpusFiles.write(conf, new Path(dir, SUMMARY), summaryJson(summary, factories, set, table));
            summary.failures().values().forEach(e -> spec.commandLine().getErr().println("mmutrace: " + e));
            spec.commandLine().getOut().printf("replayed %d traces (%d failed) through %s: %s (%s), %s%n",
                    summary.traces(), summary.failed(), models, rows, format, new Path(dir, SUMMARY));
            spec.commandLine().getOut().flush();
            if (oldFormat.isEmpty()) {
                return 0;
            }
            Dataset<Row> old = spark.read().format(oldFormat.get()).load(new Path(new Path(against), ROWS).toString());
            CorpusAgainst.Verdict verdict = CorpusAgainst.compare(against, old, out, rowsTable,
                    ReportDiff.thresholds(thresholds, !noDefaults));
            CorpusFiles.write(conf, new Path(dir, VERDICT), verdict.text());
            spec.commandLine().getOut().print(verdict.text());
            spec.commandLine().getOut().flush();
            return verdict.regression() ? 1 : 0;
        } finally {
            outcomes.unpersist(false);
        }
    }

    private String summaryJson(CorpusSummary summary, List<ModelFactory> factories, Map<String, String> set,
            CostTable table) {
        ObjectNode root = ReportJson.reader().createObjectNode();
        root.put("format", FORMAT);
        ObjectNode options = root.putObject("options");
        ReplayChoices.names(factories).forEach(options.withArray("models")::add);
        options.put("seed", seed);
        set.forEach(options.putObject("settings")::put);
        table.asMap().forEach(root.putObject("cost_table")::put);
        root.putObject("table").put("path", ROWS).put("format", format);
        root.setAll((ObjectNode) ReportJson.reader().valueToTree(summary));
        return ReportJson.text(root);
    }

    private static String tableFormat(String dir, String summaryJson) {
        try {
            String f = ReportJson.reader().readTree(summaryJson).path("table").path("format").asText("");
            if (f.equals("parquet") || f.equals("json")) {
                return f;
            }
        } catch (JsonProcessingException e) {
            // reported below
        }
        throw TraceInputException.ofFile(dir + "/" + SUMMARY,
                "not the summary of a corpus run (no table.format parquet or json)");
    }

    private int fail(String message) {
        spec.commandLine().getErr().println("mmutrace: " + message);
        return 2;
    }
}
