package dev.mmutrace.trace.io;

import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.TraceWriter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Opens trace files for reading and writing. Readers find gzip by its magic bytes, so a gzipped
 * trace reads whatever its name; writers gzip when the name ends in {@code .gz}. The file name as
 * given is the source every error message names.
 */
public final class TraceFiles {
    private static final int BUFFER_BYTES = 64 * 1024;

    private TraceFiles() {
    }

    /** Opens {@code path} in the format its extension names. */
    public static TraceReader open(Path path) {
        return open(InputFiles.open(path), path.toString());
    }

    public static TraceReader open(Path path, TraceFormat format) {
        return open(InputFiles.open(path), path.toString(), format);
    }

    /**
     * Reads a trace from {@code in}, a stream from anywhere (a Hadoop file system, a pipe), in the
     * format {@code source}'s extension names; {@code source} is the name every error message uses.
     * The reader owns {@code in} from here on: closing the reader, or a failure to open it, closes it.
     */
    public static TraceReader open(InputStream in, String source) {
        TraceFormat format;
        try {
            format = TraceFormat.forName(source);
        } catch (RuntimeException e) {
            closeQuietly(in);
            throw e;
        }
        return open(in, source, format);
    }

    /** Reads a trace in {@code format} from {@code in}; as {@link #open(InputStream, String)}. */
    public static TraceReader open(InputStream in, String source, TraceFormat format) {
        InputStream unzipped = in;
        try {
            unzipped = unzipped(new BufferedInputStream(in, BUFFER_BYTES), format);
            switch (format) {
                case BINARY:
                    return new BinaryTraceReader(unzipped, source);
                case CSV:
                    return new CsvTraceReader(unzipped, source);
                default:
                    throw new AssertionError(format);
            }
        } catch (EOFException e) {
            closeQuietly(unzipped);
            throw TraceInputException.ofFile(source, "truncated: the gzip data ends in its header");
        } catch (ZipException e) {
            closeQuietly(unzipped);
            throw TraceInputException.ofFile(source, "corrupt gzip data (" + e.getMessage() + ")");
        } catch (IOException e) {
            closeQuietly(unzipped);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            closeQuietly(unzipped);
            throw e;
        }
    }

    /** Creates (or replaces) {@code path} in the format its extension names. */
    public static TraceWriter create(Path path, TraceHeader header) {
        return create(path, header, TraceFormat.forPath(path));
    }

    public static TraceWriter create(Path path, TraceHeader header, TraceFormat format) {
        OutputStream file;
        try {
            file = Files.newOutputStream(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return create(file, path.toString(), header, format);
    }

    /**
     * A writer onto {@code stream}, which it closes; {@code target} is the name error messages
     * use (the user's own path, never a temporary file's), and gzips when it ends in {@code .gz}.
     */
    public static TraceWriter create(OutputStream stream, String target, TraceHeader header, TraceFormat format) {
        OutputStream out = null;
        try {
            out = new BufferedOutputStream(stream, BUFFER_BYTES);
            if (target.toLowerCase(java.util.Locale.ROOT).endsWith(".gz")) {
                out = new GZIPOutputStream(out, BUFFER_BYTES);
            }
            switch (format) {
                case BINARY:
                    return new BinaryTraceWriter(out, target, header);
                case CSV:
                    return new CsvTraceWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), target, header);
                default:
                    throw new AssertionError(format);
            }
        } catch (IOException e) {
            closeQuietly(out == null ? stream : out);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            closeQuietly(out == null ? stream : out);
            throw e;
        }
    }

    /**
     * {@code in}, or its gunzipped content when it starts with the gzip magic 1f 8b. The binary
     * reader reads a byte at a time, so it gets a buffer; the CSV reader reads big blocks into a
     * buffer of its own and gets the gzip stream itself: a buffer between them would wait for a
     * full block, and at a cut in the gzip data drop what it had inflated of it, so the error
     * would name a line well before the first one lost.
     */
    private static InputStream unzipped(BufferedInputStream in, TraceFormat format) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 != 0x1f || b1 != 0x8b) {
            return in;
        }
        GZIPInputStream gunzipped = new GZIPInputStream(in, BUFFER_BYTES);
        return format == TraceFormat.BINARY ? new BufferedInputStream(gunzipped, BUFFER_BYTES) : gunzipped;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // the first failure is the one worth reporting
        }
    }
}
