package dev.mmutrace.trace;

import java.nio.charset.StandardCharsets;

/**
 * The property every parser's fuzz target checks of a refusal (docs/reliability.md): its message
 * is one line, and quotes at most about {@link TraceInputException#MAX_QUOTED} characters of the
 * input, so a 1 MB bad cell cannot make a 1 MB error line. A failed check throws
 * {@link AssertionError}, which Jazzer reports as a finding.
 */
public final class Refusals {
    /**
     * The longest run of input a message may repeat: the quoted part, plus a few characters the
     * input may happen to share with the text around it (the {@code ...'} after a cut value).
     */
    private static final int MAX_RUN = TraceInputException.MAX_QUOTED + 8;

    private Refusals() {
    }

    /** Checks the message of {@code refusal}, a refusal of {@code input}. */
    public static void check(RuntimeException refusal, byte[] input) {
        check(refusal.getMessage(), new String(input, StandardCharsets.UTF_8), refusal);
    }

    public static void check(String message, String input, Throwable refusal) {
        if (message == null || message.isEmpty()) {
            throw new AssertionError("a refusal without a message", refusal);
        }
        if (message.indexOf('\n') >= 0 || message.indexOf('\r') >= 0) {
            throw new AssertionError("a message of more than one line: " + message, refusal);
        }
        for (int i = 0; i + MAX_RUN < message.length(); i++) {
            if (input.contains(message.substring(i, i + MAX_RUN + 1))) {
                throw new AssertionError("a message quoting more than " + MAX_RUN + " characters of the input ("
                        + message.length() + " characters)", refusal);
            }
        }
    }
}
