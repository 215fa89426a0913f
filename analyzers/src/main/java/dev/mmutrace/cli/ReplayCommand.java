package dev.mmutrace.cli;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedMap;
import dev.mmutrace.analyze.BatchReplay;
import dev.mmutrace.analyze.CostTable;
import dev.mmutrace.analyze.ReplayProgress;
import dev.mmutrace.analyze.Shard;
import dev.mmutrace.analyze.TraceSource;
import dev.mmutrace.analyze.WindowRun;
import dev.mmutrace.output.OutputTarget;
import dev.mmutrace.output.PendingOutput;
import dev.mmutrace.output.RunOutputs;
import dev.mmutrace.replay.ModelFactory;
import dev.mmutrace.replay.ModelOptions;
import dev.mmutrace.replay.ModelSetting;
import dev.mmutrace.replay.Models;
import dev.mmutrace.replay.ReplayListener;
import dev.mmutrace.report.CsvSeries;
import dev.mmutrace.report.EventLogWriter;
import dev.mmutrace.report.HtmlReport;
import dev.mmutrace.report.ReportBatch;
import dev.mmutrace.report.ReportJson;
import dev.mmutrace.report.ReportOptions;
import dev.mmutrace.report.TextReport;
import dev.mmutrace.report.TraceReport;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.importer.ImportOptions;
import dev.mmutrace.trace.io.InputFiles;
import dev.mmutrace.trace.io.TraceInputs;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code mmutrace replay TRACE...}: replays traces through the chosen models and reports what
 * each model did (docs/report-format.md). Traces replay in parallel on {@code --jobs} threads,
 * each trace's decoding on a thread of its own when there are two per trace, and one large
 * trace's models split over the threads; every report is built before anything is written, so
 * the output is in input order, never interleaved, and nothing partial is written when a trace
 * turns out to be bad. Every output (the report files,
 * the events log) is claimed through {@link RunOutputs} before the replay starts and committed
 * together after it.
 */
@Command(name = "replay",
        description = {"Replays traces through hypervisor memory models; reports what each did.",
                "Per model: validation failures, flushes (needed, wasted, missed), faults, exits, hypercalls,"
                        + " the model's own work (Xen page types, shadow churn) and an estimated cost"
                        + " (docs/report-format.md)."})
public final class ReplayCommand implements Callable<Integer> {
    private static final String STANDARD_OUTPUT = "-";
    private static final String SETTINGS_HELP = "modelSettings";

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private Mmutrace mmutrace;

    @Parameters(arity = "1..*", paramLabel = "TRACE",
            description = "traces: .mmtrace, .csv (either gzipped), ftrace text or trace.dat; - for standard input;"
                    + " the format by name, else by content")
    private List<Path> traces;

    @Option(names = "--from", paramLabel = "FMT",
            description = "format of every TRACE: binary, csv, ftrace or trace-dat (default: by name, else by content)")
    private String from;

    @ArgGroup(exclusive = false, heading = "Options of imported traces (ftrace text, trace.dat):%n")
    private ImportArgs imports = new ImportArgs();

    @ArgGroup(exclusive = false, heading = "The part of each trace to replay (docs/trace-format.md, Windows):%n")
    private WindowArgs windowArgs = new WindowArgs();

    @Option(names = "--model", paramLabel = "NAMES", defaultValue = Models.ALL,
            description = "models, comma-separated, or 'all' (default: every model of this build)")
    private String model;

    @Option(names = "--format", paramLabel = "text|json|csv|html", defaultValue = "text",
            description = "text (default), json (the machine contract), csv (time series) or html (one page)")
    private String format;

    @Option(names = "--out", paramLabel = "DIR", description = "write one file per trace (one report.html for html) into DIR, each replaced atomically;"
                    + " - or no --out: standard output")
    private Path out;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "1",
            description = "threads: one large trace's models split over them, else traces replayed at once, and"
                    + " with two per trace each trace's decoding read ahead on its own (default 1)")
    private int jobs;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "seed of every random choice (default 0)")
    private long seed;

    @Option(names = "--events-log", paramLabel = "FILE",
            description = "write the per-event log (JSON lines: each event and what every model did) of one trace;"
                    + " - for standard output (then give --out DIR for the report)")
    private Path eventsLog;

    @Option(names = "--costs", paramLabel = "FILE", description = "cost table overrides, key=value lines (docs/cost-model.md)")
    private Path costs;

    @Option(names = "--interval", paramLabel = "N", description = "events per time-series bucket (default automatic)")
    private Long interval;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "a model setting for what-if runs, e.g. lguest.pgdirs=8; repeatable; the settings are"
                    + " listed below, any other key is refused")
    private Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--shard", paramLabel = "K/N", converter = ShardConverter.class,
            description = "replay only shard K of N of the traces (split by file name; give every shard the same"
                    + " traces, gather with mmutrace merge)")
    private Shard shard;

    /** The models of this build as {@link Models} finds them, below the options of {@code replay --help}. */
    static void describeModels(picocli.CommandLine.Model.UsageMessageSpec usage) {
        NamedList.add(usage, "models", "%nModels of this build (--model):%n", () -> {
            Map<String, String> described = new LinkedHashMap<>();
            Models.available().forEach((name, f) -> described.put(name, f.description()));
            return described;
        });
    }

    @Override
    public Integer call() {
        List<String> problems = new ArrayList<>();
        usageProblem().ifPresent(p -> {
            throw new ParameterException(spec.commandLine(), p);
        });
        WindowArgs w = windowArgs == null ? new WindowArgs() : windowArgs;
        Optional<WindowRun> window = w.window(spec.commandLine()).map(tw -> new WindowRun(tw, w.warm));
        List<ModelFactory> factories;
        try {
            factories = ReplayChoices.models(model);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (costs != null) {
            ReplayChoices.costsProblem(costs).ifPresent(problems::add);
        }
        long stdins = traces.stream().filter(t -> t.toString().equals(TraceInputs.STDIN)).count();
        if (stdins > 1) {
            problems.add("standard input (-) can be read once, but is named " + stdins + " times");
        }
        for (Path t : traces) {
            if (!t.toString().equals(TraceInputs.STDIN)) {
                InputFiles.problem(t).ifPresent(p -> problems.add(t + ": " + p));
            }
        }
        if (shard != null && traces.size() < shard.count()) {
            problems.add("--shard " + shard + ": fewer traces (" + traces.size() + ") than shards; shard " + shard
                    + " would be empty");
        }
        if (!problems.isEmpty()) {
            return fail(problems.get(0));
        }
        if (shard != null) {
            traces = shard.of(traces);
        }
        Optional<String> badSetting = ReplayChoices.settingProblem(factories, settings)
                .or(() -> ReplayChoices.settingValueProblem(factories, settings));
        if (badSetting.isPresent()) {
            return fail(badSetting.get());
        }
        List<Path> inputs = new ArrayList<>(traces);
        if (costs != null) {
            inputs.add(costs);
        }
        try (RunOutputs outputs = mmutrace.outputs(inputs)) {
            // Every output is claimed before the replay, so a refused one costs no replay time.
            Optional<OutputTarget> logTarget = Optional.ofNullable(eventsLog).map(outputs::target);
            Map<String, OutputTarget> reportTargets = reportTargets(outputs);
            CostTable table = ReplayChoices.costs(Optional.ofNullable(costs));
            long seriesInterval = interval == null ? 0 : interval;
            ModelOptions options = new ModelOptions(seed, ImmutableMap.copyOf(new TreeMap<>(settings)));
            List<TraceSource> sources = traceSources(window);
            List<String> names = ReplayChoices.names(factories);
            List<PendingOutput> pending = new ArrayList<>();
            try {
                ImmutableList<TraceReport> reports;
                try (TerminalProgress progress = TerminalProgress.start(traces)) {
                    ReplayProgress shown = progress == null ? ReplayProgress.NONE : progress;
                    if (logTarget.isEmpty()) {
                        reports = new BatchReplay(factories, options, table, seriesInterval, shown)
                                .replayAll(sources, jobs);
                    } else {
                        PendingOutput log = outputs.open(logTarget.get());
                        pending.add(log);
                        reports = replayLogged(log, factories, options, table, seriesInterval, sources, shown, names);
                    }
                }
                ReportBatch batch = new ReportBatch(new ReportOptions(seed, seriesInterval,
                        ImmutableList.sortedCopyOf(names), ImmutableSortedMap.copyOf(settings)), table, reports);
                rendered(batch).forEach((name, text) -> pending.add(outputs.openWith(reportTargets.get(name), text)));
                outputs.commitTogether(pending);
            } finally {
                pending.forEach(PendingOutput::close);
            }
        }
        return Mmutrace.EXIT_OK;
    }

    /** Each trace, opened on the worker that replays it: --from, else by name, else by content. */
    private List<TraceSource> traceSources(Optional<WindowRun> window) {
        ImportArgs args = imports == null ? new ImportArgs() : imports;
        ImportOptions importOptions = args.options(spec.commandLine());
        TraceInputs inputs = TraceInputs.installed();
        List<TraceSource> sources = new ArrayList<>();
        for (Path t : traces) {
            sources.add(new TraceSource(t.toString(), () -> {
                TraceInputs.Opened opened = inputs.open(t, Optional.ofNullable(from), importOptions);
                Optional<String> refused = ImportArgs.refusalFor(spec, opened);
                if (refused.isPresent()) {
                    opened.reader().close();
                    throw TraceInputException.ofFile(t.toString(), refused.get() + opened.formatName());
                }
                return opened.reader();
            }, window));
        }
        return sources;
    }

    /** Replays the one trace with the per-event log streaming into {@code log}, committed with the reports. */
    private ImmutableList<TraceReport> replayLogged(PendingOutput log, List<ModelFactory> factories,
            ModelOptions options, CostTable table, long seriesInterval, List<TraceSource> sources,
            ReplayProgress shown, List<String> names) {
        Writer text = new BufferedWriter(new OutputStreamWriter(log.stream(), StandardCharsets.UTF_8));
        try (EventLogWriter logWriter = new EventLogWriter(text, names)) {
            return new BatchReplay(factories, options, table, seriesInterval, s -> logWriter, shown)
                    .replayAll(sources, 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first option that is wrong whatever the files hold, if any: a usage error. */
    private Optional<String> usageProblem() {
        if (!Set.of("text", "json", "csv", "html").contains(format)) {
            return Optional.of("unknown --format '" + format + "' (text, json, csv or html)");
        }
        if (jobs < 1) {
            return Optional.of("--jobs must be >= 1, got " + jobs);
        }
        if (interval != null && interval < 1) {
            return Optional.of("--interval must be >= 1 event, got " + interval);
        }
        if (eventsLog != null && traces.size() > 1) {
            return Optional.of("--events-log takes one trace, got " + traces.size());
        }
        return Optional.empty();
    }

    private int fail(String message) {
        spec.commandLine().getErr().println("mmutrace: " + message);
        return Mmutrace.EXIT_BAD_INPUT;
    }

    /**
     * Adds the settings of every model of this build, from their factories, to {@code replay}'s
     * help, after the options.
     */
    static void addSettingsHelp(CommandLine replay) {
        replay.getHelpSectionMap().put(SETTINGS_HELP, help -> settingsHelp());
        List<String> keys = new ArrayList<>(replay.getHelpSectionKeys());
        keys.add(keys.indexOf(UsageMessageSpec.SECTION_KEY_OPTION_LIST) + 1, SETTINGS_HELP);
        replay.setHelpSectionKeys(keys);
    }

    /** Built only when the help is rendered: finding the models and their settings costs a run that never shows them. */
    private static String settingsHelp() {
        StringBuilder text = new StringBuilder("%nModel settings (--set KEY=VALUE), shown with their defaults (docs/models/MODEL.md):%n"
                .formatted());
        for (ModelFactory f : Models.available().values()) {
            for (ModelSetting s : f.settings()) {
                text.append(String.format(Locale.ROOT, "  %-25s %s%n", s.key() + "=" + s.defaultValue(),
                        s.meaning()));
            }
        }
        return text.toString();
    }

    /**
     * Where each report goes, by file name: one target, standard output, without {@code --out} or
     * with {@code --out -}; else one file per trace in DIR (and a summary of a batch for text and
     * json), or report.html for html. The names follow the traces, so they are known before the replay.
     */
    private Map<String, OutputTarget> reportTargets(RunOutputs outputs) {
        Map<String, OutputTarget> targets = new LinkedHashMap<>();
        if (out == null || RunOutputs.isStandardOutput(out)) {
            targets.put(STANDARD_OUTPUT, outputs.target(Path.of("-")));
            return targets;
        }
        for (String name : reportFiles()) {
            targets.put(name, outputs.targetIn(out, name));
        }
        return targets;
    }

    private List<String> reportFiles() {
        if (format.equals("html")) {
            return List.of("report.html");
        }
        List<String> files = new ArrayList<>();
        for (String stem : stems(traces.stream().map(Path::toString).toList())) {
            files.add(stem + (format.equals("text") ? ".txt" : "." + format));
        }
        if (traces.size() > 1 && format.equals("json")) {
            files.add("summary.json");
        } else if (traces.size() > 1 && format.equals("text")) {
            files.add("summary.txt");
        }
        return files;
    }

    /** The reports of {@link #reportTargets}, by the same names, in the same order. */
    private Map<String, String> rendered(ReportBatch batch) {
        Map<String, String> files = new LinkedHashMap<>();
        if (out == null || RunOutputs.isStandardOutput(out)) {
            files.put(STANDARD_OUTPUT, render(batch));
            return files;
        }
        if (format.equals("html")) {
            files.put("report.html", HtmlReport.write(batch));
            return files;
        }
        List<String> names = reportFiles();
        for (int i = 0; i < batch.reports().size(); i++) {
            TraceReport r = batch.reports().get(i);
            files.put(names.get(i), switch (format) {
                case "json" -> ReportJson.write(batch, r);
                case "csv" -> CsvSeries.write(List.of(r));
                default -> TextReport.write(r);
            });
        }
        if (names.size() > batch.reports().size()) {
            files.put(names.get(names.size() - 1),
                    format.equals("json") ? ReportJson.writeSummary(batch) : TextReport.write(batch));
        }
        return files;
    }

    private String render(ReportBatch batch) {
        return switch (format) {
            case "json" -> ReportJson.write(batch);
            case "csv" -> CsvSeries.write(batch.reports());
            case "html" -> HtmlReport.write(batch);
            default -> TextReport.write(batch);
        };
    }

    /**
     * File names without extensions, made unique in input order with -2, -3, ...; standard input
     * ({@code -}) is {@code stdin}, never a report file named {@code -.json}.
     */
    static List<String> stems(List<String> tracePaths) {
        List<String> stems = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (String path : tracePaths) {
            String name = path.equals("-") ? "stdin" : String.valueOf(Path.of(path).getFileName());
            String lower = name.toLowerCase(Locale.ROOT);
            for (String ext : List.of(".gz", ".mmtrace", ".csv", ".dat", ".txt")) {
                if (lower.endsWith(ext)) {
                    name = name.substring(0, name.length() - ext.length());
                    lower = lower.substring(0, lower.length() - ext.length());
                }
            }
            String stem = name;
            for (int n = 2; !used.add(stem); n++) {
                stem = name + "-" + n;
            }
            stems.add(stem);
        }
        return stems;
    }

    static final class ShardConverter implements picocli.CommandLine.ITypeConverter<Shard> {
        @Override
        public Shard convert(String value) {
            try {
                return Shard.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
