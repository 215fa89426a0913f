package dev.mmutrace.trace.tracedat;

import com.google.common.collect.ImmutableList;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.importer.ImportSummary;
import dev.mmutrace.trace.importer.TraceImporter;
import dev.mmutrace.trace.importer.TracepointSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * trace-cmd's binary {@code trace.dat} ({@code --from trace-dat}), file versions 6 and 7,
 * uncompressed, zlib or zstd. It seeks to each cpu's pages, so it reads files; a stream is copied
 * to a temporary file first ({@link dev.mmutrace.trace.importer.ImportedTrace}).
 */
public final class TraceDatImporter implements TraceImporter {

    @Override
    public String name() {
        return "trace-dat";
    }

    @Override
    public List<String> extensions() {
        return ImmutableList.of(".dat");
    }

    @Override
    public boolean recognises(byte[] head, int length) {
        return TraceDatFile.hasMagic(head, length);
    }

    @Override
    public boolean readsStreams() {
        return false;
    }

    @Override
    public TracepointSource open(InputStream in, String source, ImportSummary.Tally tally) {
        throw new UnsupportedOperationException("trace.dat is read from a file");
    }

    @Override
    public TracepointSource open(Path file, String source, ImportSummary.Tally tally) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (java.nio.file.NoSuchFileException e) {
            throw TraceInputException.ofFile(source, "no such file");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return new TraceDatSource(channel, source, tally);
        } catch (RuntimeException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the first failure is the one worth reporting
            }
            throw e;
        }
    }
}
