package dev.mmutrace.corpus;

import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.io.TraceFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The traces a command line names: files, directories (every trace file below them, by its
 * extension) and globs, on any Hadoop file system (local paths, hdfs://, s3a://). Each trace once,
 * by its qualified URI, in name order, so the same inputs give the same corpus wherever it runs.
 * A directory or glob keeps the names that say a trace format and skips the rest (a README beside
 * the traces); a file named on its own must be a trace. An input that matches nothing, or a file
 * named on its own whose name says no trace format, is an input error.
 */
final class TraceListing {
    private TraceListing() {
    }

    static List<String> expand(List<String> inputs, Configuration conf) {
        TreeSet<String> traces = new TreeSet<>();
        for (String input : inputs) {
            try {
                addInput(input, conf, traces);
            } catch (IOException e) {
                throw new UncheckedIOException(input + ": " + e.getMessage(), e);
            }
        }
        return new ArrayList<>(traces);
    }

    private static void addInput(String input, Configuration conf, TreeSet<String> into) throws IOException {
        Path pattern = new Path(input);
        FileSystem fs = pattern.getFileSystem(conf);
        FileStatus[] matches = fs.globStatus(pattern);
        if (matches == null || matches.length == 0) {
            throw TraceInputException.ofFile(input, "no such file, directory or match");
        }
        boolean glob = input.chars().anyMatch(c -> "*?[{".indexOf(c) >= 0);
        for (FileStatus m : matches) {
            String uri = fs.makeQualified(m.getPath()).toString();
            if (m.isDirectory()) {
                addDirectory(fs, m.getPath(), into);
            } else if (!glob) {
                TraceFormat.forName(uri);
                into.add(uri);
            } else if (namesTrace(m.getPath().getName())) {
                into.add(uri);
            }
        }
    }

    /** Every file below {@code dir} whose name is a trace's; hidden files (., _) are Hadoop's and skipped. */
    private static void addDirectory(FileSystem fs, Path dir, TreeSet<String> into) throws IOException {
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(dir, true);
        while (files.hasNext()) {
            LocatedFileStatus f = files.next();
            String name = f.getPath().getName();
            if (name.startsWith(".") || name.startsWith("_") || !namesTrace(name)) {
                continue;
            }
            into.add(fs.makeQualified(f.getPath()).toString());
        }
    }

    private static boolean namesTrace(String name) {
        try {
            TraceFormat.forName(name);
            return true;
        } catch (TraceInputException e) {
            return false;
        }
    }
}
