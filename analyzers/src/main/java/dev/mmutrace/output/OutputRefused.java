package dev.mmutrace.output;

/**
 * An output the run will not write, found before anything was written: a directory where a file
 * belongs, an output that is one of the run's inputs, two outputs onto one file. The message is
 * the one line the user sees.
 */
public final class OutputRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OutputRefused(String message) {
        super(message);
    }
}
