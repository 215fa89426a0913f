package dev.mmutrace.trace;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The property every parser's fuzz target checks of a refusal (docs/reliability.md): its message
 * is one line, and repeats at most {@link TraceInputException#MAX_QUOTED} characters of the input
 * in a row, so a 1 MB bad cell cannot make a 1 MB error line. A failed check throws
 * {@link AssertionError}, which Jazzer reports as a finding.
 *
 * <p>The subtle thing: an input may hold the text of a message (the fuzzer copies the strings it
 * sees compared into its inputs), so the message's own words next to a quote can stand in the
 * input too. The check therefore splits the message into its quotes and the words between them
 * ({@link #pieces}) and looks for runs of the input inside each piece alone: a quote may show
 * {@code MAX_QUOTED} characters of the input, the words between quotes as many, and no run is
 * counted across a quote's edge.
 */
public final class Refusals {
    /** The cut of a value quoted in part: {@code ...' (1048576 characters)}, or Jackson's {@code ...'}. */
    private static final String CUT = "...";

    /** An escape {@link TraceInputException#quote} writes for a control character or a {@code '}. */
    private static final Pattern ESCAPE = Pattern.compile("\\\\u([0-9a-f]{4})");

    private Refusals() {
    }

    /**
     * A stretch of a message: a quote's value (escapes read back, the cut's {@code ...} left off)
     * or the words between quotes.
     */
    public record Piece(String text, boolean quoted) {
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
        for (Piece piece : pieces(message)) {
            if (repeatsMoreThan(piece.text(), input, TraceInputException.MAX_QUOTED)) {
                throw new AssertionError("a message repeating more than " + TraceInputException.MAX_QUOTED
                        + " characters of the input in a row " + (piece.quoted() ? "in one quote" : "outside its quotes")
                        + " (" + message.length() + " characters)", refusal);
            }
        }
    }

    /**
     * {@code message} cut into its quotes and the words between them. A quote opens at a {@code '}
     * that does not follow a letter, digit or {@code )} (those are apostrophes: "the record's",
     * "pte_val()'s") and ends at the next {@code '}, which {@link TraceInputException#quote}
     * guarantees by writing a {@code '} of the value as an escape. A {@code '} that no later
     * one closes is a word's.
     */
    public static List<Piece> pieces(String message) {
        List<Piece> pieces = new ArrayList<>();
        int words = 0;
        int i = 0;
        while (i < message.length()) {
            int close = opensQuote(message, i) ? message.indexOf('\'', i + 1) : -1;
            if (close < 0) {
                i++;
                continue;
            }
            pieces.add(new Piece(message.substring(words, i), false));
            pieces.add(new Piece(value(message.substring(i + 1, close)), true));
            words = close + 1;
            i = close + 1;
        }
        pieces.add(new Piece(message.substring(words), false));
        return List.copyOf(pieces);
    }

    private static boolean opensQuote(String message, int i) {
        if (message.charAt(i) != '\'') {
            return false;
        }
        char before = i == 0 ? ' ' : message.charAt(i - 1);
        return !Character.isLetterOrDigit(before) && before != ')';
    }

    /** A quote's value as it stood in the input: escapes read back, a cut's {@code ...} left off. */
    private static String value(String shown) {
        String cut = shown.endsWith(CUT) ? shown.substring(0, shown.length() - CUT.length()) : shown;
        Matcher m = ESCAPE.matcher(cut);
        StringBuilder b = new StringBuilder(cut.length());
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 16))));
        }
        return m.appendTail(b).toString();
    }

    /**
     * Whether {@code text} holds more than {@code max} characters in a row that stand in
     * {@code input}, counting a surrogate pair as one character as {@link TraceInputException#quote}
     * does.
     */
    static boolean repeatsMoreThan(String text, String input, int max) {
        for (int from = 0; from < text.length(); from = text.offsetByCodePoints(from, 1)) {
            if (text.codePointCount(from, text.length()) <= max) {
                return false;
            }
            if (input.contains(text.substring(from, text.offsetByCodePoints(from, max + 1)))) {
                return true;
            }
        }
        return false;
    }
}
