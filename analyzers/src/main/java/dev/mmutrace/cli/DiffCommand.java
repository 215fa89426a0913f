package dev.mmutrace.cli;

import dev.mmutrace.output.OutputTarget;
import dev.mmutrace.output.RunOutputs;
import dev.mmutrace.report.diff.DiffHtml;
import dev.mmutrace.report.diff.DiffMarkdown;
import dev.mmutrace.report.diff.DiffRender;
import dev.mmutrace.report.diff.DiffResult;
import dev.mmutrace.report.diff.ReportDiff;
import dev.mmutrace.report.diff.Threshold;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code mmutrace diff BASE.json NEW.json}: every metric that changed, per trace and model; exit 1
 * when a change crosses a threshold (docs/diff.md), 0 otherwise, 2 on bad input.
 */
@Command(name = "diff",
        description = {"Compares two JSON reports of mmutrace replay, metric by metric.",
                "Exit 1 when a change crosses a threshold (a regression), 0 when none does, 2 on bad input.",
                "Default thresholds: validation_failures.total=+0, flushes.missed=+0, flushes.wasted=+5%%,"
                        + " exits.total=+5%%, estimated_cycles=+5%% (docs/diff.md)."})
public final class DiffCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BASE.json", description = "the report to compare against")
    private Path base;

    @Parameters(index = "1", paramLabel = "NEW.json", description = "the report under review")
    private Path next;

    @Option(names = "--threshold", paramLabel = "METRIC=+N[%]", converter = ThresholdConverter.class,
            description = "a regression when METRIC changes beyond this, e.g. flushes.wasted=+5%%, "
                    + "validation_failures.total=+0, xen:estimated_cycles=+2%%, exits.total=-10%%; "
                    + "replaces the default for the same metric; repeatable")
    private List<Threshold> thresholds = new ArrayList<>();

    @Option(names = "--no-default-thresholds", description = "apply only the --threshold options given")
    private boolean noDefaults;

    @Option(names = "--format", paramLabel = "text|markdown|html", defaultValue = "text",
            description = "text for a terminal (default), markdown for a pull-request comment (at most 65,536"
                    + " characters), or html: one self-contained page with charts")
    private DiffFormat format;

    @Option(names = "--out", paramLabel = "FILE", description = "write the diff to FILE instead of standard output")
    private Path out;

    @ParentCommand
    private Mmutrace mmutrace;

    enum DiffFormat {
        text, markdown, html
    }

    @Override
    public Integer call() {
        try (RunOutputs outputs = mmutrace.outputs(List.of(base, next))) {
            // The output is claimed before the reports are read, so a refused one costs nothing.
            Optional<OutputTarget> target = Optional.ofNullable(out).map(outputs::target);
            DiffResult d = ReportDiff.compare(base, next, thresholds, !noDefaults);
            String rendered = switch (format) {
                case markdown -> DiffMarkdown.write(d);
                case html -> DiffHtml.write(d);
                case text -> DiffRender.text(d);
            };
            if (target.isPresent()) {
                outputs.commitTogether(List.of(outputs.openWith(target.get(), rendered)));
            } else {
                spec.commandLine().getOut().print(rendered);
                spec.commandLine().getOut().flush();
            }
            return d.regressions() > 0 ? Mmutrace.EXIT_REGRESSION : Mmutrace.EXIT_OK;
        }
    }

    /** {@code METRIC=+N[%]} as a {@link Threshold}; the corpus job's {@code --threshold} too. */
    public static final class ThresholdConverter implements picocli.CommandLine.ITypeConverter<Threshold> {
        @Override
        public Threshold convert(String value) {
            try {
                return Threshold.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
