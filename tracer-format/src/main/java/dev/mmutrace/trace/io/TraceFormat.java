package dev.mmutrace.trace.io;

import dev.mmutrace.trace.TraceInputException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The two trace formats of mmutrace (docs/trace-format.md). A name ending in {@code .gz} is the
 * same format gzipped: {@code .mmtrace.gz}, {@code .csv.gz}.
 */
public enum TraceFormat {
    /** Protobuf records after a magic and version preamble: {@code .mmtrace}, {@code .mmtrace.gz}. */
    BINARY("binary", ".mmtrace"),
    /** One event per row, header fields in {@code #} lines: {@code .csv}, {@code .csv.gz}. */
    CSV("csv", ".csv");

    private final String formatName;
    private final String extension;

    TraceFormat(String formatName, String extension) {
        this.formatName = formatName;
        this.extension = extension;
    }

    /** The name the command line uses ({@code --from binary}, {@code --to csv}). */
    public String formatName() {
        return formatName;
    }

    /** The extension that names the format, before any {@code .gz}. */
    public String extension() {
        return extension;
    }

    /** The format called {@code name} ({@code binary} or {@code csv}, any case). */
    public static TraceFormat fromName(String name) {
        for (TraceFormat f : values()) {
            if (f.formatName.equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown trace format '" + name + "' (binary, csv)");
    }

    /** The format {@code path}'s extension names; a {@link TraceInputException} when it names none. */
    public static TraceFormat forPath(Path path) {
        return forName(String.valueOf(path.getFileName()), path.toString());
    }

    /**
     * The format the end of {@code source} names, for a trace known only by a name (a URI such as
     * {@code s3a://bucket/run-1.mmtrace.gz}, a stream); a {@link TraceInputException} when it names none.
     */
    public static TraceFormat forName(String source) {
        return forName(source, source);
    }

    private static TraceFormat forName(String fileName, String source) {
        return ofFileName(fileName).orElseThrow(() -> TraceInputException.ofFile(source,
                "cannot tell the trace format from the name (.mmtrace, .mmtrace.gz, .csv or .csv.gz)"));
    }

    /** The format a file name's extension names, if it names one. */
    public static Optional<TraceFormat> ofFileName(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        for (TraceFormat f : values()) {
            if (name.endsWith(f.extension)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return formatName;
    }
}
