package dev.mmutrace.cli;

import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.TraceWriter;
import dev.mmutrace.trace.io.TraceFiles;
import dev.mmutrace.trace.io.TraceFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mmutrace convert IN OUT}: rewrites a trace in another format, event for event.
 *
 * <p>OUT is written to a temporary file beside it and moved into place only once every event
 * has been read and written, so bad input never leaves an OUT that looks complete. On success
 * one summary line goes to stdout (stdout carries nothing else, so scripts can keep it or not).
 */
@Command(name = "convert",
        mixinStandardHelpOptions = true,
        description = {"Converts a trace between formats: binary (.mmtrace, .mmtrace.gz) and csv (.csv).",
            "Formats follow the file names unless --from/--to say otherwise; an OUT ending in .gz is gzipped."})
final class ConvertCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "IN", description = "the trace to read")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "the trace to write (replaced if it exists)")
    Path out;

    @Option(names = "--from", paramLabel = "FMT", description = "format of IN: binary or csv (default: by extension)")
    String from;

    @Option(names = "--to", paramLabel = "FMT", description = "format of OUT: binary or csv (default: by extension)")
    String to;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        TraceFormat outFormat = to == null ? TraceFormat.forPath(out) : TraceFormat.fromName(to);
        long events = 0;
        String inFormat;
        Path dir = out.toAbsolutePath().getParent();
        // A hidden name beside OUT (same file system, so the move is atomic) that ends in OUT's
        // own name, so a .gz OUT is gzipped as it is written. Not Files.createTempFile: its
        // 0600 mode would outlive the move.
        Path partial = dir.resolve(".convert-" + ProcessHandle.current().pid() + "-" + out.getFileName());
        try {
            try (TraceReader reader = openInput(); TraceWriter writer = TraceFiles.create(partial, reader.header(),
                    outFormat)) {
                inFormat = inputFormatName();
                while (reader.hasNext()) {
                    writer.write(reader.next());
                    events++;
                }
            }
            Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        spec.commandLine().getOut().println("converted " + events + " events: " + in + " (" + inFormat + ") -> "
                + out + " (" + outFormat.formatName() + ")");
        return Mmutrace.EXIT_OK;
    }

    /** The reader for IN; an input format that is not a {@link TraceFormat} (an importer) goes here. */
    private TraceReader openInput() {
        return from == null ? TraceFiles.open(in) : TraceFiles.open(in, TraceFormat.fromName(from));
    }

    private String inputFormatName() {
        return from == null ? TraceFormat.forPath(in).formatName() : from;
    }
}
