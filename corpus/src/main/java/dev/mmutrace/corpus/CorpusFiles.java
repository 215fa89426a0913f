package dev.mmutrace.corpus;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
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

    static void write(Configuration conf, Path path, String text) {
        try (OutputStream out = path.getFileSystem(conf).create(path, true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
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
