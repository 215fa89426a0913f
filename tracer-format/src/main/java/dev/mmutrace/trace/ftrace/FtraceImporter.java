package dev.mmutrace.trace.ftrace;

import com.google.common.collect.ImmutableList;
import com.google.common.io.Closeables;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.importer.ImportOptions;
import dev.mmutrace.trace.importer.ImportSummary;
import dev.mmutrace.trace.importer.ImportedTrace;
import dev.mmutrace.trace.importer.TraceImporter;
import dev.mmutrace.trace.importer.TracepointSource;
import dev.mmutrace.trace.io.InputFiles;
import dev.mmutrace.trace.io.PlainReason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Linux ftrace text ({@code --from ftrace}): the kernel's {@code trace} / {@code trace_pipe}
 * files and {@code trace-cmd report} output, read in one pass, its lines scanned on as many
 * threads as there are cores and translated in order on one (docs/ftrace-import.md).
 */
public final class FtraceImporter implements TraceImporter {
    private static final int GZIP_BUFFER = 1 << 16;

    private final int chunkBytes;

    public FtraceImporter() {
        this(ChunkScanner.CHUNK_BYTES);
    }

    /** An importer scanning chunks of about {@code chunkBytes}: tests cut a small input into many. */
    FtraceImporter(int chunkBytes) {
        this.chunkBytes = chunkBytes;
    }

    @Override
    public String name() {
        return "ftrace";
    }

    @Override
    public List<String> extensions() {
        return ImmutableList.of();
    }

    /**
     * Text (no NUL byte) with an event line, or a kernel trace file's or trace-cmd report's
     * preamble, among its first lines; an mmutrace CSV's {@code # format_version} header is not.
     */
    @Override
    public boolean recognises(byte[] head, int length) {
        for (int i = 0; i < length; i++) {
            if (head[i] == 0) {
                return false;
            }
        }
        String text = new String(head, 0, length, java.nio.charset.StandardCharsets.UTF_8);
        if (text.startsWith("# format_version:")) {
            return false;
        }
        if (text.startsWith("# tracer:") || text.startsWith("version = ") || text.startsWith("cpus=")) {
            return true;
        }
        EventLine probe = new EventLine();
        int start = 0;
        while (start < length) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                break; // the last line may be cut by the sniff window
            }
            byte[] line = text.substring(start, end).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (probe.scan(line, 0, line.length)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    @Override
    public boolean readsStreams() {
        return true;
    }

    @Override
    public TracepointSource open(InputStream in, String source, ImportSummary.Tally tally) {
        return new FtraceText(new ChunkScanner(in, chunkBytes), source, tally);
    }

    /** A file, gunzipped when its name ends in {@code .gz}. */
    @Override
    public TracepointSource open(Path file, String source, ImportSummary.Tally tally) {
        InputStream raw = InputFiles.open(file);
        try {
            return open(isGzip(file) ? new GZIPInputStream(raw, GZIP_BUFFER) : raw, source, tally);
        } catch (IOException e) {
            Closeables.closeQuietly(raw);
            throw TraceInputException.ofFile(source, PlainReason.of(e));
        }
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** Imports an ftrace text file: the shortcut tests and the bench use. */
    public static ImportedTrace read(Path file, ImportOptions options) {
        return ImportedTrace.open(new FtraceImporter(), file, options);
    }

    /** Imports ftrace text from a stream (one pass when the options give vCPUs and pfn limit). */
    public static ImportedTrace read(InputStream in, String source, ImportOptions options) {
        return ImportedTrace.open(new FtraceImporter(), in, source, options);
    }
}
