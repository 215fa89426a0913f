package dev.mmutrace.corpus;

import dev.mmutrace.output.OutputTarget;
import dev.mmutrace.output.RunOutputs;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/** Small text files beside the table (summary.json, verdict.txt), on the output's file system. */
final class CorpusFiles {
    private CorpusFiles() {
    }

    static boolean exists(Configuration conf, Path path) {
        try {
            return path.getFileSystem(conf).exists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code text} to {@code path}. On the local file system through mmutrace's one way of
     * writing outputs ({@link RunOutputs}: whole or not at all); elsewhere through Hadoop, where an
     * object store (s3a) publishes the object only when it is closed whole.
     */
    static void write(Configuration conf, Path path, String text) {
        try {
            FileSystem fs = path.getFileSystem(conf);
            if (fs instanceof LocalFileSystem local) {
                try (RunOutputs outputs = new RunOutputs(List.of(), OutputStream.nullOutputStream())) {
                    OutputTarget target = outputs.target(local.pathToFile(path).toPath());
                    outputs.commitTogether(List.of(outputs.openWith(target, text)));
                }
                return;
            }
            try (OutputStream out = fs.create(path, true)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": " + e.getMessage(), e);
        }
    }

    static String read(Configuration conf, Path path) {
        FileSystem fs;
        try {
            fs = path.getFileSystem(conf);
            try (FSDataInputStream in = fs.open(path)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": " + e.getMessage(), e);
        }
    }
}
