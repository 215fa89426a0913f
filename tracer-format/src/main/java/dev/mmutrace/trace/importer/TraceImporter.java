package dev.mmutrace.trace.importer;

import java.io.InputStream;
import java.nio.file.Path;

/**
 * A reader of another tool's trace format that yields {@link TracepointRecord}s; the
 * translation to trace events is shared ({@link ImportedTrace}). Importers are found with
 * {@link java.util.ServiceLoader} ({@link Importers}), so a new one (Perfetto, xentrace) is a
 * class and a line in {@code META-INF/services}, and nothing outside tracer-format changes.
 */
public interface TraceImporter {

    /** The name {@code --from} gives it ({@code ftrace}, {@code trace-dat}). */
    String name();

    /** File name endings that name the format, in lower case ({@code .dat}); may be empty. */
    java.util.List<String> extensions();

    /** Whether the first bytes of an input (at most {@link Importers#SNIFF_BYTES}) are this format. */
    boolean recognises(byte[] head, int length);

    /** Whether {@link #open(InputStream, String, ImportSummary.Tally)} reads the input in one pass. */
    boolean readsStreams();

    /** Opens a stream; only when {@link #readsStreams()}. */
    TracepointSource open(InputStream in, String source, ImportSummary.Tally tally);

    /** Opens a regular file. */
    TracepointSource open(Path file, String source, ImportSummary.Tally tally);
}
