package dev.mmutrace.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * How far this process has read into a file, from outside the reader: on Linux each open
 * descriptor is a link in {@code /proc/self/fd} naming its file, and {@code /proc/self/fdinfo/N}
 * holds its offset ({@code pos:}). The progress bar polls this a few times a second, so the
 * readers (whichever importer opened the trace) need no hook for it. For a gzipped trace it is the
 * compressed bytes read, which is what the file's size is measured in.
 */
final class ReadPosition {
    private final Path proc;

    /** {@code proc} is {@code /proc/self} (tests give a directory shaped like it). */
    ReadPosition(Path proc) {
        this.proc = proc;
    }

    static ReadPosition ofThisProcess() {
        return new ReadPosition(Path.of("/proc/self"));
    }

    /** The largest offset of a descriptor open on {@code file} (a real path), or empty when none is open. */
    OptionalLong of(Path file) {
        long best = -1;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
            for (Path fd : fds) {
                if (points(fd, file)) {
                    best = Math.max(best, offset(proc.resolve("fdinfo").resolve(fd.getFileName())));
                }
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        return best < 0 ? OptionalLong.empty() : OptionalLong.of(best);
    }

    private static boolean points(Path fd, Path file) {
        try {
            return Files.readSymbolicLink(fd).equals(file);
        } catch (IOException | RuntimeException e) {
            // closed since the listing, or not a link: not the file
            return false;
        }
    }

    private static long offset(Path fdinfo) {
        try {
            for (String line : Files.readAllLines(fdinfo)) {
                if (line.startsWith("pos:")) {
                    return Long.parseLong(line.substring(4).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // closed since the listing
        }
        return -1;
    }
}
