package dev.mmutrace.cli;

import dev.mmutrace.output.RunOutputs;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.generate.GeneratorSettings;
import dev.mmutrace.trace.generate.Workload;
import dev.mmutrace.trace.generate.WorkloadGenerator;
import dev.mmutrace.trace.io.TraceFormat;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code mmutrace generate WORKLOAD OUT}: writes a synthetic guest's trace (docs/workloads.md),
 * streamed from the generator to the file, so any size costs the memory of one round. Like
 * {@code convert}, OUT appears only once it is complete ({@code -} is standard output); one line
 * on stdout (stderr when the trace went there) says what was written.
 */
@Command(name = "generate",
        description = {"Generates the MMU trace of a synthetic Linux guest's workload.",
            "The workloads are listed below and described in docs/workloads.md.",
            "OUT's format follows its name (.mmtrace, .csv, optionally .gz) unless --to says otherwise."})
final class GenerateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "WORKLOAD", description = "the workload to generate (listed below)")
    String workload;

    @Parameters(index = "1", paramLabel = "OUT", description = "the trace to write (replaced if it exists), or - for standard output (then --to is needed)")
    Path out;

    @Option(names = "--seed", paramLabel = "S", description = "seed of every random choice (default 1)")
    long seed = 1;

    @Option(names = "--events", paramLabel = "N",
            description = "events to write: fewer than the workload's natural length cuts it, more loops it"
                    + " (default 0: the natural length)")
    long events = GeneratorSettings.NATURAL;

    @Option(names = "--mode", paramLabel = "MODE",
            description = "paging mode: 2level, pae or 4level (default 4level; pae for kmap-churn)")
    String mode;

    @Option(names = "--vcpus", paramLabel = "N", description = "vCPU count, 1..64 (default 2)")
    int vcpus = 2;

    @Option(names = "--to", paramLabel = "FMT", description = "format of OUT: binary or csv (default: by extension)")
    String to;

    @Spec
    CommandSpec spec;

    @ParentCommand
    Mmutrace mmutrace;

    /** The workloads, each with what its guest does, below the options of {@code generate --help}. */
    static void describeWorkloads(CommandLine.Model.UsageMessageSpec usage) {
        NamedList.add(usage, "workloads", "%nWorkloads:%n", () -> {
            Map<String, String> described = new LinkedHashMap<>();
            for (Workload w : Workload.values()) {
                described.put(w.wireName(), w.description());
            }
            return described;
        });
    }

    @Override
    public Integer call() {
        Workload w = Workload.fromWireName(workload).orElseThrow(() -> new CommandLine.ParameterException(
                spec.commandLine(), "unknown workload '" + workload + "' (" + Arrays.stream(Workload.values())
                        .map(Workload::wireName).collect(Collectors.joining(", ")) + ")"));
        PagingMode pagingMode = w.defaultMode();
        if (mode != null) {
            pagingMode = PagingMode.fromWireName(mode).orElseThrow(() -> new CommandLine.ParameterException(
                    spec.commandLine(), "unknown paging mode '" + mode + "' (2level, pae, 4level)"));
        }
        GeneratorSettings settings;
        try {
            settings = new GeneratorSettings(w, seed, events, pagingMode, vcpus);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        TraceFormat format = TraceOutput.format(spec, out, to);
        WorkloadGenerator generator = new WorkloadGenerator(settings);
        long written;
        try (RunOutputs outputs = mmutrace.outputs(List.of())) {
            written = TraceOutput.write(outputs, outputs.target(out), generator.header(), format, generator);
        }
        TraceOutput.summary(spec, out).println("generated " + written + " events: " + w.wireName() + " (seed " + seed
                + ", " + pagingMode.wireName() + ", " + vcpus + " vcpus) -> " + out + " (" + format.formatName() + ")");
        return Mmutrace.EXIT_OK;
    }
}
