package dev.mmutrace.trace;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * Bad input: a malformed row, a truncated or corrupt file, an unknown event or version, an
 * impossible value. It names the place (file and line for text, file and record for binary) and
 * the field, so the command line can print it as one line a user can act on.
 *
 * <p>Guest misbehaviour inside a well-formed trace is never this: the models report that.
 */
public final class TraceInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Whether {@link #position()} counts text lines or binary records (the header is record 0). */
    public enum Unit {
        LINE("line"), RECORD("record"), FILE("file");

        private final String word;

        Unit(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /** The most characters of a bad value a message quotes (docs/reliability.md). */
    public static final int MAX_QUOTED = 80;

    /** The field of a file-level problem that is about no field in particular. */
    public static final String NO_FIELD = "";

    private final String source;
    private final Unit unit;
    private final long position;
    private final String field;
    private final String problem;

    public TraceInputException(String source, Unit unit, long position, String field, String problem) {
        super(format(source, unit, position, field, problem));
        this.source = requireNonNull(source, "source");
        this.unit = requireNonNull(unit, "unit");
        this.position = position;
        this.field = requireNonNull(field, "field");
        this.problem = requireNonNull(problem, "problem");
    }

    public static TraceInputException atLine(String source, long line, String field, String problem) {
        return new TraceInputException(source, Unit.LINE, line, field, problem);
    }

    public static TraceInputException atRecord(String source, long record, String field, String problem) {
        return new TraceInputException(source, Unit.RECORD, record, field, problem);
    }

    /**
     * The error for a record's or the header's refusal of a value: an {@link IllegalArgumentException}
     * whose message starts with the field's name, as their checks write them. The field is named
     * when that first word is one of {@code fields}, and the message is the refusal's.
     */
    public static TraceInputException ofRefusal(IllegalArgumentException refusal, Set<String> fields, String source,
            Unit unit, long position) {
        String message = String.valueOf(refusal.getMessage());
        int space = message.indexOf(' ');
        String first = space < 0 ? message : message.substring(0, space);
        return new TraceInputException(source, unit, position, fields.contains(first) ? first : NO_FIELD, message);
    }

    public static TraceInputException ofFile(String source, String problem) {
        return new TraceInputException(source, Unit.FILE, 0, NO_FIELD, problem);
    }

    /** {@code trace.csv: line 12: field 'value': bad hex '0xZZ'} */
    private static String format(String source, Unit unit, long position, String field, String problem) {
        StringBuilder b = new StringBuilder(source);
        if (unit != Unit.FILE) {
            b.append(": ").append(unit.word()).append(' ').append(position);
        }
        if (!field.isEmpty()) {
            b.append(": field ").append(quote(field));
        }
        return b.append(": ").append(problem).toString();
    }

    /**
     * {@code value} as a message quotes it: in single quotes, control characters and line
     * separators written as {@code \\uXXXX} so the message stays one line, and cut after
     * {@value #MAX_QUOTED} characters with its full length added, so a 1 MB bad cell makes a
     * short message: {@code 'abc...' (1048576 characters)}. A single quote inside the value is
     * written {@code \\u0027} too, so the first {@code '} after the opening one always ends the
     * quote, for a reader and for the fuzz targets' check of what a message repeats of its input.
     */
    public static String quote(CharSequence value) {
        StringBuilder b = new StringBuilder(Math.min(value.length(), MAX_QUOTED) + 32).append('\'');
        int shown = 0;
        int i = 0;
        for (; i < value.length() && shown < MAX_QUOTED; i++, shown++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\'') {
                b.append(String.format("\\u%04x", (int) c));
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length()) {
                b.append(c).append(value.charAt(++i)); // a pair is one character: never cut between its halves
            } else {
                b.append(c);
            }
        }
        if (i == value.length()) {
            return b.append('\'').toString();
        }
        return b.append("...' (").append(value.length()).append(" characters)").toString();
    }

    public String source() {
        return source;
    }

    public Unit unit() {
        return unit;
    }

    public long position() {
        return position;
    }

    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }
}
