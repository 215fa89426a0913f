package dev.mmutrace.cli;

import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.TraceWriter;
import dev.mmutrace.trace.generate.GeneratorSettings;
import dev.mmutrace.trace.generate.Workload;
import dev.mmutrace.trace.generate.WorkloadGenerator;
import dev.mmutrace.trace.io.TraceFiles;
import dev.mmutrace.trace.io.TraceFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mmutrace generate WORKLOAD OUT}: writes a synthetic guest's trace (docs/workloads.md),
 * streamed from the generator to the file, so any size costs the memory of one round. Like
 * {@code convert}, OUT appears only once it is complete; one line on stdout says what was written.
 */
@Command(name = "generate",
        mixinStandardHelpOptions = true,
        description = {"Generates a synthetic Linux guest's MMU trace (see docs/workloads.md).",
            "Workloads: boot, fork-exec-exit, ctxswitch-storm, kmap-churn, mmap-munmap, buggy-guest, mixed.",
            "OUT's format follows its name (.mmtrace, .csv, optionally .gz) unless --to says otherwise."})
final class GenerateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "WORKLOAD", description = "the workload to generate")
    String workload;

    @Parameters(index = "1", paramLabel = "OUT", description = "the trace to write (replaced if it exists)")
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

    @Override
    public Integer call() throws IOException {
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
        TraceFormat format = to == null ? TraceFormat.forPath(out) : TraceFormat.fromName(to);
        WorkloadGenerator generator = new WorkloadGenerator(settings);
        Path partial = out.toAbsolutePath().getParent().resolve(
                ".generate-" + ProcessHandle.current().pid() + "-" + out.getFileName());
        long written = 0;
        try {
            try (TraceWriter writer = TraceFiles.create(partial, generator.header(), format)) {
                while (generator.hasNext()) {
                    writer.write(generator.next());
                    written++;
                }
            }
            Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        spec.commandLine().getOut().println("generated " + written + " events: " + w.wireName() + " (seed " + seed
                + ", " + pagingMode.wireName() + ", " + vcpus + " vcpus) -> " + out + " (" + format.formatName() + ")");
        return Mmutrace.EXIT_OK;
    }
}
