package dev.mmutrace.cli;

import dev.mmutrace.output.OutputTarget;
import dev.mmutrace.output.RunOutputs;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.ftrace.FtraceOptions;
import dev.mmutrace.trace.ftrace.FtraceReader;
import dev.mmutrace.trace.io.TraceFiles;
import dev.mmutrace.trace.io.TraceFormat;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code mmutrace convert IN OUT}: rewrites a trace in another format, event for event.
 *
 * <p>OUT is written through {@link RunOutputs}: a regular file is written beside it and moved
 * into place only once every event has been read and written, so bad input never leaves an OUT
 * that looks complete; {@code -} is standard output (the format then from {@code --to}); OUT may
 * never be IN. On success one summary line goes to stdout (stderr when the trace went there); an
 * import from Linux ftrace text ({@code --from ftrace}) adds the importer's summary after it (what
 * was skipped and why, where it approximated).
 */
@Command(name = "convert",
        mixinStandardHelpOptions = true,
        description = {"Converts a trace between formats: binary (.mmtrace, .mmtrace.gz) and csv (.csv).",
            "Formats follow the file names unless --from/--to say otherwise; an OUT ending in .gz is gzipped.",
            "--from ftrace imports Linux ftrace text (the kernel's trace file or trace-cmd report output);"
                + " see docs/ftrace-import.md."})
final class ConvertCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "IN", description = "the trace to read")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "the trace to write (replaced if it exists), or - for standard output (then --to is needed)")
    Path out;

    @Option(names = "--from", paramLabel = "FMT",
            description = "format of IN: binary, csv or ftrace (default: by extension)")
    String from;

    @ArgGroup(exclusive = false, heading = "Options of --from ftrace:%n")
    FtraceArgs ftrace = new FtraceArgs();

    /** What the ftrace text does not say (docs/ftrace-import.md). */
    static final class FtraceArgs {
        @Option(names = "--mode", paramLabel = "MODE", description = "paging mode: 2level, pae or 4level (default 4level)")
        String mode;

        @Option(names = "--vcpus", paramLabel = "N",
                description = "vCPU count (default: the file's #P:/cpus= preamble, else a first pass for the highest cpu)")
        Integer vcpus;

        @Option(names = "--pfn-limit", paramLabel = "N",
                description = "guest memory in frames, decimal or 0x-hex (default: a first pass for the highest pfn + 1)")
        String pfnLimit;

        @Option(names = "--direct-map-base", paramLabel = "ADDR",
                description = "kernel vaddr of gpa 0, 0x-hex (default PAGE_OFFSET: 0xffff888000000000 for 4level,"
                        + " 0xc0000000 for pae and 2level; give the KASLR base if randomised)")
        String directMapBase;

        @Option(names = "--keep-hashed-pointers",
                description = "accept hashed %%p pointers as opaque identities instead of refusing them")
        boolean keepHashedPointers;

        @Option(names = "--accept-raw-values",
                description = "take the raw entry values of trace-cmd's [FAILED TO PARSE] lines as pfn-based")
        boolean acceptRawValues;

        @Option(names = "--legacy-pt-levels",
                description = "alloc/release_ptpage levels use Linux's pre-4.12 enum pt_level (PTE = 3)")
        boolean legacyPtLevels;

        boolean anyGiven() {
            return mode != null || vcpus != null || pfnLimit != null || directMapBase != null || keepHashedPointers
                    || acceptRawValues || legacyPtLevels;
        }
    }

    @Option(names = "--to", paramLabel = "FMT", description = "format of OUT: binary or csv (default: by extension)")
    String to;

    @Spec
    CommandSpec spec;

    @ParentCommand
    Mmutrace mmutrace;

    @Override
    public Integer call() {
        if (!isFtrace() && ftrace != null && ftrace.anyGiven()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--mode, --vcpus, --pfn-limit, --direct-map-base, --keep-hashed-pointers, --accept-raw-values"
                            + " and --legacy-pt-levels only apply with --from ftrace");
        }
        TraceFormat outFormat = TraceOutput.format(spec, out, to);
        long events;
        FtraceReader imported;
        String inFormat;
        try (RunOutputs outputs = mmutrace.outputs(List.of(in))) {
            OutputTarget target = outputs.target(out);
            try (TraceReader reader = openInput()) {
                inFormat = inputFormatName();
                imported = reader instanceof FtraceReader f ? f : null;
                events = TraceOutput.write(outputs, target, reader.header(), outFormat, reader);
            }
        }
        PrintWriter said = TraceOutput.summary(spec, out);
        said.println("converted " + events + " events: " + in + " (" + inFormat + ") -> " + out + " ("
                + outFormat.formatName() + ")");
        if (imported != null) {
            imported.summary().describe().forEach(said::println);
        }
        return Mmutrace.EXIT_OK;
    }

    private boolean isFtrace() {
        return "ftrace".equalsIgnoreCase(from);
    }

    private FtraceOptions ftraceOptions() {
        FtraceArgs a = ftrace == null ? new FtraceArgs() : ftrace;
        PagingMode mode = PagingMode.FOUR_LEVEL;
        if (a.mode != null) {
            mode = PagingMode.fromWireName(a.mode).orElseThrow(() -> new CommandLine.ParameterException(
                    spec.commandLine(), "unknown paging mode '" + a.mode + "' (2level, pae, 4level)"));
        }
        FtraceOptions o = FtraceOptions.defaults(mode)
                .withKeepHashedPointers(a.keepHashedPointers)
                .withAcceptRawValues(a.acceptRawValues)
                .withLegacyPtLevels(a.legacyPtLevels);
        if (a.vcpus != null) {
            o = o.withVcpus(a.vcpus);
        }
        if (a.pfnLimit != null) {
            o = o.withPfnLimit(number("--pfn-limit", a.pfnLimit));
        }
        if (a.directMapBase != null) {
            o = o.withDirectMapBase(number("--direct-map-base", a.directMapBase));
        }
        return o;
    }

    /** A decimal or 0x-hex number; hex may use all 64 bits (kernel addresses). */
    private long number(String option, String text) {
        try {
            if (text.startsWith("0x") || text.startsWith("0X")) {
                return Long.parseUnsignedLong(text.substring(2), 16);
            }
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    option + ": '" + text + "' is not a number (decimal or 0x-hex)");
        }
    }

    /** The reader for IN; an input format that is not a {@link TraceFormat} (an importer) goes here. */
    private TraceReader openInput() {
        if (isFtrace()) {
            return FtraceReader.open(in, ftraceOptions());
        }
        return from == null ? TraceFiles.open(in) : TraceFiles.open(in, TraceFormat.fromName(from));
    }

    private String inputFormatName() {
        return from == null ? TraceFormat.forPath(in).formatName() : from.toLowerCase(java.util.Locale.ROOT);
    }
}
