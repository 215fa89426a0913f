package dev.mmutrace.cli;

import dev.mmutrace.output.OutputFailure;
import dev.mmutrace.output.OutputTarget;
import dev.mmutrace.output.PendingOutput;
import dev.mmutrace.output.RunOutputs;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.TraceWriter;
import dev.mmutrace.trace.io.TraceFiles;
import dev.mmutrace.trace.io.TraceFormat;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The trace OUT of {@code convert} and {@code generate}: its format (from {@code --to} or the
 * name; {@code -} has no name, so it needs {@code --to}), the events streamed into it, and where
 * the line saying what was written goes (stderr when the trace itself is on standard output).
 */
final class TraceOutput {
    private TraceOutput() {
    }

    static TraceFormat format(CommandSpec spec, Path out, String to) {
        if (to != null) {
            return TraceFormat.fromName(to);
        }
        if (RunOutputs.isStandardOutput(out)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "OUT '-' (standard output) has no name to tell the format by: give --to binary or --to csv");
        }
        return TraceFormat.forPath(out);
    }

    /** Writes every event to {@code target} and commits it; returns the number written. */
    static long write(RunOutputs outputs, OutputTarget target, TraceHeader header, TraceFormat format,
            Iterator<TraceEvent> events) {
        long written = 0;
        try (PendingOutput pending = outputs.open(target)) {
            try (TraceWriter writer = TraceFiles.create(pending.stream(), target.shown(), header, format)) {
                while (events.hasNext()) {
                    writer.write(events.next());
                    written++;
                }
            }
            pending.commit();
        } catch (OutputFailure e) {
            throw new UncheckedIOException(e);
        }
        return written;
    }

    /** Where the summary line goes: not into the trace on standard output. */
    static PrintWriter summary(CommandSpec spec, Path out) {
        return RunOutputs.isStandardOutput(out) ? spec.commandLine().getErr() : spec.commandLine().getOut();
    }
}
