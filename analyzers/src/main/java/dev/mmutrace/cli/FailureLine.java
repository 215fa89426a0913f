package dev.mmutrace.cli;

import dev.mmutrace.output.OutputFailure;
import dev.mmutrace.output.OutputRefused;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.io.PlainReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;

/**
 * The one line a user sees when a command fails (SPEC §11): what went wrong in plain words, with
 * the user's own path and the line, record and field where there is one. Never a Java exception's
 * name and never a temporary file's: outputs fail as {@link OutputFailure}, which names the target
 * as given; a file-system error while reading names the path the command opened, which is the
 * user's.
 */
public final class FailureLine {
    /** Longer than any honest message; only a runaway value quoted whole gets near it. */
    static final int MAX_CHARS = 400;

    private FailureLine() {
    }

    /** The line for {@code failure}; the corpus job puts it in a broken trace's rows. */
    public static String of(Throwable failure) {
        return clipped(firstLine(describe(failure)));
    }

    private static String describe(Throwable failure) {
        if (failure instanceof TraceInputException || failure instanceof OutputRefused
                || failure instanceof OutputFailure) {
            return failure.getMessage();
        }
        if (failure instanceof UncheckedIOException u) {
            return describe(u.getCause());
        }
        if (failure instanceof FileSystemException f && f.getFile() != null) {
            return f.getFile() + ": " + PlainReason.of(f);
        }
        if (failure instanceof IOException io) {
            return PlainReason.of(io);
        }
        if (failure.getCause() instanceof IOException || failure.getCause() instanceof UncheckedIOException) {
            return describe(failure.getCause());
        }
        String m = failure.getMessage();
        return m == null || m.isBlank() ? "internal error, please report it with the command line that caused it" : m;
    }

    private static String firstLine(String message) {
        return message.lines().findFirst().orElse(message);
    }

    private static String clipped(String line) {
        return line.length() <= MAX_CHARS ? line : line.substring(0, MAX_CHARS - 3) + "...";
    }
}
