package dev.mmutrace.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The command line run in-process several times in one test, what each run printed added to
 * what the runs before it printed, as one terminal would show them. {@link CliRunner} is one
 * run of it.
 */
final class CliSession {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Runs {@code mmutrace args}; its exit code. */
    int run(String... args) {
        return Mmutrace.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    /** Everything printed on stdout so far. */
    String out() {
        return out.toString();
    }

    /** Everything printed on stderr so far. */
    String err() {
        return err.toString();
    }
}
