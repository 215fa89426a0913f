package dev.mmutrace.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether standard error is a terminal, the one place a progress bar may be drawn.
 * {@code System.console()} is no answer: it looks at standard input and output, so with
 * {@code 2>file} it still says "terminal" and the bar's escape codes land in the file. Java has no
 * isatty; on Linux the file descriptor's link in {@code /proc/self/fd} names what it is open on,
 * and a terminal is a {@code /dev/pts/N} or {@code /dev/ttyN} device (or the console). Where there is no
 * {@code /proc} (other systems), or the link cannot be read, the answer is no: no bar is the safe side.
 */
final class StandardError {
    private static final Path FD_2 = Path.of("/proc/self/fd/2");

    private StandardError() {
    }

    static boolean isTerminal() {
        return !"dumb".equals(System.getenv("TERM")) && isTerminal(FD_2);
    }

    /** Whether the descriptor link {@code fdLink} (a {@code /proc/.../fd/N}) points at a terminal device. */
    static boolean isTerminal(Path fdLink) {
        try {
            String target = Files.readSymbolicLink(fdLink).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
