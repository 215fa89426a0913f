package dev.mmutrace.trace.io;

import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.importer.ImportOptions;
import dev.mmutrace.trace.importer.ImportedTrace;
import dev.mmutrace.trace.importer.Importers;
import dev.mmutrace.trace.importer.TraceImporter;
import dev.mmutrace.trace.text.ByteScan;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Opens any input a command takes: an mmutrace trace (binary, CSV) or another tool's trace
 * through its importer, from a file, {@code -} (standard input), a FIFO, {@code /dev/stdin} or a
 * process substitution. The format is the one {@code --from} names, else the one the file name
 * names, else the one the first bytes show (after gunzipping): the binary magic, the CSV header's
 * {@code # format_version} line, an importer's own test (trace.dat magic, ftrace text lines).
 *
 * <p>The subtle thing: a stream can be read only once, so its first bytes are looked at through
 * a mark on the buffer and read again by the reader; nothing here reads an input twice.
 */
public final class TraceInputs {
    /** The name that stands for standard input. */
    public static final String STDIN = "-";
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final byte[] BINARY_MAGIC = "MMUTRACE".getBytes(StandardCharsets.US_ASCII);
    private static final String CSV_HEADER = "# format_version:";

    private final Importers importers;

    public TraceInputs(Importers importers) {
        this.importers = importers;
    }

    /** Every importer on the class path. */
    public static TraceInputs installed() {
        return new TraceInputs(Importers.installed());
    }

    /** An opened input and the name of the format it was read as. */
    public record Opened(TraceReader reader, String formatName) {
        /** Whether an importer read it (so the import options applied and a summary exists). */
        public boolean imported() {
            return reader instanceof ImportedTrace;
        }
    }

    /**
     * Opens {@code input} ({@code -} for standard input) as {@code from} says, or as its name or
     * content shows; {@code options} apply when an importer reads it.
     */
    public Opened open(Path input, Optional<String> from, ImportOptions options) {
        String source = input.toString();
        if (from.isPresent()) {
            String name = from.get();
            Optional<TraceImporter> importer = importers.named(name);
            if (importer.isPresent()) {
                return imported(input, importer.get(), options);
            }
            TraceFormat format;
            try {
                format = TraceFormat.fromName(name);
            } catch (IllegalArgumentException e) {
                throw TraceInputException.ofFile(source, "unknown input format '" + name + "' (binary, csv, "
                        + importers.names() + ")");
            }
            return native_(input, format);
        }
        if (!isStdin(input)) {
            Optional<TraceFormat> byName = TraceFormat.ofFileName(String.valueOf(input.getFileName()));
            if (byName.isPresent()) {
                return native_(input, byName.get());
            }
            Optional<TraceImporter> importer = importers.forName(String.valueOf(input.getFileName()));
            if (importer.isPresent()) {
                return imported(input, importer.get(), options);
            }
        }
        return byContent(input, options);
    }

    private static boolean isStdin(Path input) {
        return input.toString().equals(STDIN);
    }

    private Opened native_(Path input, TraceFormat format) {
        if (!isStdin(input) && Files.isRegularFile(input)) {
            return new Opened(TraceFiles.open(input, format), format.formatName());
        }
        return new Opened(TraceFiles.open(stream(input), input.toString(), format), format.formatName());
    }

    private Opened imported(Path input, TraceImporter importer, ImportOptions options) {
        if (!isStdin(input) && Files.isRegularFile(input)) {
            return new Opened(ImportedTrace.open(importer, input, options), importer.name());
        }
        return new Opened(ImportedTrace.open(importer, stream(input), input.toString(), options), importer.name());
    }

    /** Reads the first bytes (gunzipped) and opens the input in the format they show. */
    private Opened byContent(Path input, ImportOptions options) {
        String source = input.toString();
        BufferedInputStream in = new BufferedInputStream(stream(input), BUFFER_BYTES);
        try {
            byte[] head = peek(in);
            boolean gzip = head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
            InputStream content = in;
            if (gzip) {
                content = new BufferedInputStream(new GZIPInputStream(in, BUFFER_BYTES), BUFFER_BYTES);
                head = peek((BufferedInputStream) content);
            }
            if (ByteScan.startsWith(head, 0, head.length, BINARY_MAGIC)) {
                return new Opened(TraceFiles.open(content, source, TraceFormat.BINARY), TraceFormat.BINARY.formatName());
            }
            if (ByteScan.startsWith(head, 0, head.length, CSV_HEADER)) {
                return new Opened(TraceFiles.open(content, source, TraceFormat.CSV), TraceFormat.CSV.formatName());
            }
            Optional<TraceImporter> importer = importers.recognise(head, head.length);
            if (importer.isEmpty()) {
                in.close();
                throw TraceInputException.ofFile(source, head.length == 0 ? "the input is empty"
                        : "cannot tell the trace format from the name or the content (binary, csv, "
                                + importers.names() + "): give --from");
            }
            if (!isStdin(input) && Files.isRegularFile(input) && !gzip) {
                in.close();
                return new Opened(ImportedTrace.open(importer.get(), input, options), importer.get().name());
            }
            return new Opened(ImportedTrace.open(importer.get(), content, source, options), importer.get().name());
        } catch (IOException e) {
            throw TraceInputException.ofFile(source, PlainReason.of(e));
        }
    }

    private static byte[] peek(BufferedInputStream in) throws IOException {
        in.mark(Importers.SNIFF_BYTES);
        byte[] head = new byte[Importers.SNIFF_BYTES];
        int n = 0;
        while (n < head.length) {
            int r = in.read(head, n, head.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        in.reset();
        return Arrays.copyOf(head, n);
    }

    /** Standard input for {@code -}, else the named file, FIFO or device. */
    private static InputStream stream(Path input) {
        if (isStdin(input)) {
            return new java.io.FilterInputStream(System.in) {
                @Override
                public void close() {
                    // standard input belongs to the process, not to one reader
                }
            };
        }
        return InputFiles.open(input);
    }
}
