package dev.mmutrace.trace.ftrace;

/**
 * The fields of one event's payload, in either of the two shapes ftrace text takes:
 *
 * <ul>
 *   <li>the kernel's TP_printk text ({@code ptep ffff8880... pteval 80000001234567 (raw ...)},
 *       {@code mm ...  pfn 1a2b  level 4  pinned}, {@code kernel cr3 1234000},
 *       {@code address=0x7f... ip=0x7f... error_code=0x14}): a key word followed by its value, a
 *       lone word ({@code kernel}, {@code unpinned}) standing for itself, numbers in the radix the
 *       format string printed them in;
 *   <li>trace-cmd's {@code [FAILED TO PARSE] ptep=0xffff... pteval=9223372...} fallback, when
 *       libtraceevent could not evaluate the print format: {@code key=value} with the raw struct
 *       fields, {@code 0x} hex for pointers and longs and decimal for the rest.
 * </ul>
 *
 * A token is a value when it is all hex digits, or starts with {@code 0x}, {@code -} or
 * {@code (} (as in {@code (null)} or the hashed {@code (____ptrval____)}); every key word of
 * these formats starts with a letter and holds one beyond f, so the two never mix up. Reused line after line.
 */
final class Payload {
    static final String FAILED_TO_PARSE = "[FAILED TO PARSE]";
    private static final int MAX_FIELDS = 16;

    private String text;
    private int from;
    private int to;
    private boolean keyValue;
    private int count;
    private final int[] keyStart = new int[MAX_FIELDS];
    private final int[] keyEnd = new int[MAX_FIELDS];
    private final int[] valueStart = new int[MAX_FIELDS];
    private final int[] valueEnd = new int[MAX_FIELDS];

    void parse(String line, int from, int to) {
        text = line;
        this.from = from;
        this.to = to;
        count = 0;
        keyValue = line.startsWith(FAILED_TO_PARSE, from);
        int i = keyValue ? from + FAILED_TO_PARSE.length() : from;
        int pendingKey = -1;
        int pendingKeyEnd = -1;
        while (i < to && count < MAX_FIELDS) {
            while (i < to && line.charAt(i) == ' ') {
                i++;
            }
            if (i >= to) {
                break;
            }
            int s = i;
            while (i < to && line.charAt(i) != ' ') {
                i++;
            }
            int e = i;
            if (line.charAt(e - 1) == ',') {
                e--; // "addr 7f00, end 7fff"
            }
            int eq = s + 1;
            while (eq < e && line.charAt(eq) != '=') {
                eq++;
            }
            if (eq < e) {
                if (pendingKey >= 0) {
                    add(pendingKey, pendingKeyEnd, -1, -1);
                    pendingKey = -1;
                }
                add(s, eq, eq + 1, e);
                continue;
            }
            if (isValue(line, s, e)) {
                if (pendingKey >= 0) {
                    add(pendingKey, pendingKeyEnd, s, trimParens(line, s, e));
                    pendingKey = -1;
                }
                continue;
            }
            if (pendingKey >= 0) {
                add(pendingKey, pendingKeyEnd, -1, -1);
            }
            pendingKey = line.charAt(s) == '(' ? s + 1 : s;
            pendingKeyEnd = e;
        }
        if (pendingKey >= 0 && count < MAX_FIELDS) {
            add(pendingKey, pendingKeyEnd, -1, -1);
        }
    }

    /** Whether the payload is trace-cmd's {@code [FAILED TO PARSE]} key=value fallback. */
    boolean isKeyValue() {
        return keyValue;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Whether {@code word} appears as a key (with or without a value). */
    boolean has(String word) {
        return find(word) >= 0;
    }

    /** Whether the field is present with a value. */
    boolean hasValue(String key) {
        int f = find(key);
        return f >= 0 && valueStart[f] >= 0;
    }

    /** The raw text of a field's value, or null when the field is absent or has none. */
    String value(String key) {
        int f = find(key);
        return f < 0 || valueStart[f] < 0 ? null : text.substring(valueStart[f], valueEnd[f]);
    }

    int valueStart(String key) {
        int f = find(key);
        return f < 0 ? -1 : valueStart[f];
    }

    int valueEnd(String key) {
        int f = find(key);
        return f < 0 ? -1 : valueEnd[f];
    }

    /** The payload as printed, for error messages. */
    String raw() {
        return text.substring(from, to);
    }

    /** The first lone word (a key without value), or null: {@code kernel}/{@code user}, {@code start}. */
    String firstWord() {
        for (int f = 0; f < count; f++) {
            if (valueStart[f] < 0) {
                return text.substring(keyStart[f], keyEnd[f]);
            }
        }
        return null;
    }

    private int find(String key) {
        int len = key.length();
        for (int f = 0; f < count; f++) {
            if (keyEnd[f] - keyStart[f] == len && text.startsWith(key, keyStart[f])) {
                return f;
            }
        }
        return -1;
    }

    private void add(int ks, int ke, int vs, int ve) {
        keyStart[count] = ks;
        keyEnd[count] = ke;
        valueStart[count] = vs;
        valueEnd[count] = ve;
        count++;
    }

    private static boolean isValue(String s, int from, int to) {
        char c = s.charAt(from);
        if (c == '-' || c == '(') {
            return c == '-' || !(to - from > 1 && Character.isLetter(s.charAt(from + 1))
                    && !s.startsWith("(null)", from) && !s.startsWith("(nil)", from));
        }
        if (c >= '0' && c <= '9') {
            return true; // no key word starts with a digit; "80zz" is a bad value, not a key
        }
        for (int k = from; k < to; k++) {
            if (Character.digit(s.charAt(k), 16) < 0 && s.charAt(k) != ')') {
                return false;
            }
        }
        return true;
    }

    /** {@code 8000...)} of {@code (raw 8000...)} without its closing parenthesis. */
    private static int trimParens(String s, int from, int to) {
        return to > from + 1 && s.charAt(to - 1) == ')' && s.charAt(from) != '(' ? to - 1 : to;
    }
}
