package dev.mmutrace.trace;

import java.nio.charset.StandardCharsets;

/**
 * The property every parser's fuzz target checks of a refusal (docs/reliability.md): its message
 * is one line, and quotes at most {@value #MAX_QUOTED} characters of the input, so a 1 MB bad cell
 * cannot make a 1 MB error line. A failed check throws {@link AssertionError}, which Jazzer
 * reports as a finding.
 */
public final class Refusals {
    /** The most characters of a bad value a message may repeat. */
    public static final int MAX_QUOTED = 80;

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
        // any run of MAX_QUOTED + 1 characters of the message that is also in the input is too long a quote
        for (int i = 0; i + MAX_QUOTED < message.length(); i++) {
            if (input.contains(message.substring(i, i + MAX_QUOTED + 1))) {
                throw new AssertionError("a message quoting more than " + MAX_QUOTED + " characters of the input ("
                        + message.length() + " characters)", refusal);
            }
        }
    }
}
