package dev.mmutrace.cli;

import com.google.common.collect.ImmutableList;
import dev.mmutrace.output.OutputTarget;
import dev.mmutrace.output.RunOutputs;
import dev.mmutrace.report.ReportBatch;
import dev.mmutrace.report.ReportJson;
import dev.mmutrace.report.TraceReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mmutrace merge REPORT...}: JSON reports of {@code mmutrace replay} (one trace's or a
 * batch's, e.g. one per {@code --shard}) batched into one, as if all their traces had been replayed
 * in one run: the reports in the order given, the summary added up again. Reports made with other
 * options or another cost table would not add up, and a trace in two reports would count twice:
 * both are input errors.
 */
@Command(name = "merge",
        description = {"Batches JSON reports of mmutrace replay (e.g. one per --shard) into one batch report.",
                "Exit 2 when they were made with other options or cost tables, or share a trace."})
public final class MergeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private Mmutrace mmutrace;

    @Parameters(arity = "1..*", paramLabel = "REPORT", description = "JSON reports of mmutrace replay --format json")
    private List<Path> reports;

    @Option(names = "--out", paramLabel = "FILE", description = "write the batch report to FILE (replaced atomically);"
            + " - or no --out: standard output")
    private Path out;

    @Override
    public Integer call() {
        for (Path r : reports) {
            if (!Files.isRegularFile(r)) {
                return fail(r + ": no such file");
            }
        }
        try (RunOutputs outputs = mmutrace.outputs(reports)) {
            OutputTarget target = outputs.target(out == null ? Path.of("-") : out);
            ReportBatch first = ReportJson.read(reports.get(0));
            ImmutableList.Builder<TraceReport> all = ImmutableList.builder();
            Map<String, Path> seen = new HashMap<>();
            for (Path file : reports) {
                ReportBatch b = file.equals(reports.get(0)) ? first : ReportJson.read(file);
                if (!b.options().equals(first.options())) {
                    return fail(file + ": made with other options than " + reports.get(0) + " (" + b.options()
                            + " vs " + first.options() + "); its figures would not add up with theirs");
                }
                if (!b.costTable().equals(first.costTable())) {
                    return fail(file + ": made with another cost table than " + reports.get(0)
                            + "; its estimated cycles would not add up with theirs");
                }
                for (TraceReport r : b.reports()) {
                    Path earlier = seen.putIfAbsent(r.trace().path(), file);
                    if (earlier != null) {
                        return fail(file + ": trace " + r.trace().path() + " is in " + earlier
                                + " too; merged, it would count twice");
                    }
                    all.add(r);
                }
            }
            String merged = ReportJson.write(new ReportBatch(first.options(), first.costTable(), all.build()));
            outputs.commitTogether(List.of(outputs.openWith(target, merged)));
        }
        return Mmutrace.EXIT_OK;
    }

    private int fail(String message) {
        spec.commandLine().getErr().println("mmutrace: " + message);
        return Mmutrace.EXIT_BAD_INPUT;
    }
}
