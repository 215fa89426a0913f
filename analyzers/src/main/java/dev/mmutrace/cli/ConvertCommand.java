package dev.mmutrace.cli;

import com.google.common.collect.Iterators;
import dev.mmutrace.output.OutputTarget;
import dev.mmutrace.output.RunOutputs;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.importer.ImportSummary;
import dev.mmutrace.trace.importer.ImportedTrace;
import dev.mmutrace.trace.io.TraceFormat;
import dev.mmutrace.trace.io.TraceInputs;
import dev.mmutrace.trace.window.TraceWindow;
import dev.mmutrace.trace.window.WindowedReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
 * import (ftrace text, trace.dat) adds the import's summary after it (what was skipped and why,
 * where it approximated).
 */
@Command(name = "convert",
        description = {"Converts a trace between binary and csv, or imports ftrace and trace-cmd output.",
            "Binary is .mmtrace or .mmtrace.gz, csv is .csv (docs/trace-format.md); imports are Linux ftrace"
                + " text and trace-cmd's trace.dat.",
            "IN may be - (standard input), a FIFO or a process substitution; its format is --from, else its name's,"
                + " else what its content shows. An OUT ending in .gz is gzipped.",
            "Imports: see docs/ftrace-import.md."})
final class ConvertCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "IN", description = "the trace to read, - for standard input")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "the trace to write (replaced if it exists), or - for standard output (then --to is needed)")
    Path out;

    @Option(names = "--from", paramLabel = "FMT",
            description = "format of IN: binary, csv, ftrace or trace-dat (default: by name, else by content)")
    String from;

    @ArgGroup(exclusive = false, heading = "Options of imported traces (ftrace text, trace.dat):%n")
    ImportArgs imports = new ImportArgs();

    @Option(names = "--to", paramLabel = "FMT", description = "format of OUT: binary or csv (default: by extension)")
    String to;

    @ArgGroup(exclusive = false, heading = "The part of IN to convert (docs/trace-format.md, Windows):%n")
    WindowArgs windowArgs = new WindowArgs();

    @Spec
    CommandSpec spec;

    @ParentCommand
    Mmutrace mmutrace;

    @Override
    public Integer call() {
        TraceFormat outFormat = TraceOutput.format(spec, out, to);
        ImportArgs args = imports == null ? new ImportArgs() : imports;
        WindowArgs w = windowArgs == null ? new WindowArgs() : windowArgs;
        if (w.warm) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--warm: convert writes events, not"
                    + " model state; replay the whole trace with --warm to warm the models up before a window");
        }
        Optional<TraceWindow> window = w.window(spec.commandLine());
        long written;
        Optional<String> windowLine = Optional.empty();
        Optional<ImportSummary> imported = Optional.empty();
        String inFormat;
        try (RunOutputs outputs = mmutrace.outputs(List.of(in))) {
            OutputTarget target = outputs.target(out);
            TraceInputs.Opened opened = TraceInputs.installed().open(in, Optional.ofNullable(from),
                    args.options(spec.commandLine()));
            try (TraceReader reader = opened.reader()) {
                Optional<String> refused = ImportArgs.refusalFor(spec, opened);
                if (refused.isPresent()) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            refused.get() + in + " (" + opened.formatName() + ")");
                }
                inFormat = opened.formatName();
                if (window.isPresent()) {
                    // the window's first event is found before OUT is opened: an empty window writes nothing
                    WindowedReader windowed = new WindowedReader(reader, window.get(), false);
                    List<TraceEvent> gaps = windowed.gapsBefore();
                    written = TraceOutput.write(outputs, target, windowed.header(), outFormat,
                            Iterators.concat(gaps.iterator(), windowed));
                    long first = windowed.firstIndex();
                    windowLine = Optional.of("window " + window.get().described() + ": events " + first + " to "
                            + (first + written - gaps.size() - 1) + " of " + in + " (0-based)"
                            + (gaps.isEmpty() ? "" : ", after a gap on each of its " + gaps.size()
                                    + (gaps.size() == 1 ? " vCPU" : " vCPUs") + " (the state before them is unknown)"));
                } else {
                    written = TraceOutput.write(outputs, target, reader.header(), outFormat, reader);
                }
                if (reader instanceof ImportedTrace i) {
                    imported = Optional.of(i.summary());
                }
            }
        }
        PrintWriter said = TraceOutput.summary(spec, out);
        said.println("converted " + written + " events: " + in + " (" + inFormat + ") -> " + out + " ("
                + outFormat.formatName() + ")");
        windowLine.ifPresent(said::println);
        imported.ifPresent(s -> s.describe().forEach(said::println));
        return Mmutrace.EXIT_OK;
    }
}
