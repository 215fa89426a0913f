package dev.mmutrace.trace.ftrace;

import dev.mmutrace.trace.importer.Field;
import dev.mmutrace.trace.text.AsciiNames;
import dev.mmutrace.trace.text.ByteScan;
import dev.mmutrace.trace.text.Decimal;
import dev.mmutrace.trace.text.Hex;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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
 * these formats starts with a letter and holds one beyond f, so the two never mix up.
 *
 * <p>It works on the line's bytes and only records where each key and value lie; every
 * delimiter it looks for is ASCII, which no byte of a multi-byte UTF-8 character can be. The one
 * place a non-ASCII byte matters (whether a token is a value, which {@link Character} decides) sees
 * the token decoded, so the answer is the one the decoded line would give.
 *
 * <p>One instance holds the payloads of a whole chunk of lines ({@link ScannedChunk}), parsed on
 * a scanning thread and read, one {@link #select}ed at a time, by the thread that translates them;
 * each key is looked up as a {@link PayloadWord} when it is parsed, and each value the translation
 * reads as a number is read then too (see {@link #readNumbers}), so that the translating thread
 * seldom touches the line's bytes, which the scanning thread has in its cache and it has not.
 */
final class Payload {
    private static final byte[] FAILED_TO_PARSE = "[FAILED TO PARSE]".getBytes(StandardCharsets.US_ASCII);
    private static final String NULL = "(null)";
    private static final String NIL = "(nil)";
    private static final int MAX_FIELDS = 16;
    static {
        // a payload's words are the bits of one long (AT_WORDS)
        if (PayloadWord.values().length > Long.SIZE) {
            throw new AssertionError("more payload words than bits in a long");
        }
    }

    private static final AsciiNames<PayloadWord> WORDS = new AsciiNames<>(PayloadWord.values(), PayloadWord::text);
    /** Each word's field's radix, by ordinal; null for a word that names no field ({@code kernel} does, {@code user} not). */
    private static final Field.Radix[] RADIX = radixOfWords();

    // every payload parsed since clear(), field after field: the key's word (-1 for none), the value's range
    private byte[] text;
    private int fields;
    private byte[] word = new byte[256];
    private int[] valueStart = new int[256];
    private int[] valueEnd = new int[256];
    /**
     * The number of each field's value, read on the scanning thread when the line is split (see
     * {@link #readNumbers}), so that the translating thread, which every line waits for, does not
     * check and convert the digits itself.
     */
    private long[] number = new long[256];
    /**
     * Each payload in {@value #SLOTS} longs side by side, so that {@link #select}, on the
     * translating thread, reads one cache line the scanning thread wrote rather than eight arrays'
     * worth: its fields' first index and count ({@link #AT_FIELDS}), its range ({@link #AT_RANGE}),
     * its words ({@link #AT_WORDS}) and its field masks and shape ({@link #AT_MASKS}).
     */
    private int payloads;
    private long[] payloadSlots = new long[32 * SLOTS];
    private static final int SLOTS = 4;
    /** The first field's index (low half) and the field count (high half). */
    private static final int AT_FIELDS = 0;
    /** The payload's range: its start (low half) and end (high half). */
    private static final int AT_RANGE = 1;
    /** The payload's words (with or without a value) as bits by ordinal, so most lookups need no search. */
    private static final int AT_WORDS = 2;
    /**
     * The fields whose number is in {@link #number} (bits 0-15, by field), those of a field word
     * whose value starts with {@code 0x} (bits 16-31), and whether it is key=value (bit 32).
     */
    private static final int AT_MASKS = 3;
    private static final long KEY_VALUE_BIT = 1L << 32;
    // the payload the queries below answer for (select)
    private int base;
    private int count;
    private int from;
    private int to;
    private boolean keyValue;
    private long wordMask;
    private int numberMask;
    private int prefixMask;
    private final int[] equalsAt = new int[1];
    // the keys of the payload being parsed, looked up once it is split
    private final int[] keyStart = new int[MAX_FIELDS];
    private final int[] keyEnd = new int[MAX_FIELDS];
    /**
     * The fields (bits by field) of the payload being parsed whose value, 1 to 16 ASCII hex digits
     * starting with a letter ({@code ffff8880...}), {@link #split} has read into {@link #number} as
     * hex: that test is what tells such a value from a key word, so the reading comes with it.
     */
    private int hexRead;

    /** Forgets every payload parsed so far (a new chunk of lines). */
    void clear() {
        fields = 0;
        payloads = 0;
    }

    /**
     * Splits {@code line[from, to)} into its fields, keeps them after those parsed before (the
     * lines of one chunk share one array) and selects them; returns the payload's number for
     * {@link #select}.
     */
    int parse(byte[] line, int from, int to) {
        text = line;
        int payload = payloads;
        if ((payload + 1) * SLOTS > payloadSlots.length) {
            payloadSlots = Arrays.copyOf(payloadSlots, payloadSlots.length * 2);
        }
        if (fields + MAX_FIELDS > word.length) {
            growFields();
        }
        boolean isKeyValue = ByteScan.startsWith(line, from, to, FAILED_TO_PARSE);
        base = fields;
        count = 0;
        hexRead = 0;
        split(line, isKeyValue ? from + FAILED_TO_PARSE.length : from, to);
        // the keys are looked up here, in one place, rather than in each of split's four places
        // that find a field: what the JIT compiles for a line stays small
        long mask = 0;
        for (int f = 0; f < count; f++) {
            PayloadWord w = WORDS.of(line, keyStart[f], keyEnd[f]);
            word[base + f] = w == null ? -1 : (byte) w.ordinal();
            mask |= w == null ? 0 : 1L << w.ordinal();
        }
        long masks = readNumbers(line, isKeyValue);
        int slot = payload * SLOTS;
        payloadSlots[slot + AT_FIELDS] = base | (long) count << 32;
        payloadSlots[slot + AT_RANGE] = from | (long) to << 32;
        payloadSlots[slot + AT_WORDS] = mask;
        payloadSlots[slot + AT_MASKS] = masks | (isKeyValue ? KEY_VALUE_BIT : 0);
        fields += count;
        payloads++;
        select(payload);
        return payload;
    }

    /**
     * Reads the value of each field of a word that names a field, as {@code TextRecord.number}
     * would: as hex from where {@link #hexDigitsFrom} puts its digits when it has them (1 to 16
     * ASCII hex digits), else as decimal (an optional {@code -} and 1 to 20 ASCII digits,
     * {@link Decimal#isSignedNumber}); a pointer printed {@code (null)} or {@code (nil)} is 0, as
     * {@code TextRecord.number} reads it. Any other value is left to the translation's own reading,
     * which also words the messages. Returns the fields read (bits 0-15, by field) and those whose
     * value starts with {@code 0x} (bits 16-31), as {@link #AT_MASKS} keeps them.
     */
    private long readNumbers(byte[] line, boolean isKeyValue) {
        int read = 0;
        int prefixed = 0;
        for (int f = 0; f < count; f++) {
            int at = base + f;
            int w = word[at];
            int vs = valueStart[at];
            if (w < 0 || vs < 0 || RADIX[w] == null) {
                continue;
            }
            int ve = valueEnd[at];
            int digits = hexDigitsFrom(RADIX[w], isKeyValue, line, vs, ve);
            if (digits == vs + 2) {
                prefixed |= 1 << f; // hexDigitsFrom passes a 0x and nothing else
            }
            if (digits == vs && (hexRead & 1 << f) != 0) {
                read |= 1 << f; // split read exactly this range as hex: no 0x (it starts with a letter), no ')'
            } else if (digits >= 0) {
                if (Hex.readInto(line, digits, ve, number, at)) {
                    read |= 1 << f;
                } else if (RADIX[w] == Field.Radix.POINTER && isNullPointer(line, vs, ve)) {
                    number[at] = 0;
                    read |= 1 << f;
                }
            } else if (Decimal.isSignedNumber(line, vs, ve)) {
                number[at] = Decimal.signedValue(line, vs, ve);
                read |= 1 << f;
            }
        }
        return (read & 0xffffL) | (prefixed & 0xffffL) << 16;
    }

    /** {@code (null)} or {@code (nil)}: how {@code %p} prints a null pointer (glibc's and the kernel's spelling). */
    private static boolean isNullPointer(byte[] line, int from, int to) {
        int n = to - from;
        return (n == NULL.length() && ByteScan.startsWith(line, from, to, NULL))
                || (n == NIL.length() && ByteScan.startsWith(line, from, to, NIL));
    }

    /**
     * Where the hex digits of the value {@code line[from, to)} of a field of {@code radix} start, or
     * -1 when it is decimal: the one rule of both shapes, for the scanning thread's early reading
     * ({@link #readNumbers}) and the translation's ({@code TextRecord.number}). After a
     * {@code 0x}, always; a pointer's {@code %p} prints none; a hex field without one is the
     * kernel's {@code %lx}, but in {@code [FAILED TO PARSE]} ({@code keyValue}) trace-cmd prints the
     * raw field in decimal; every other field is decimal.
     */
    static int hexDigitsFrom(Field.Radix radix, boolean keyValue, byte[] line, int from, int to) {
        if (to - from >= 2 && line[from] == '0' && line[from + 1] == 'x') {
            return from + 2;
        }
        return radix == Field.Radix.POINTER || (radix == Field.Radix.HEX && !keyValue) ? from : -1;
    }

    private static Field.Radix[] radixOfWords() {
        Field.Radix[] radix = new Field.Radix[PayloadWord.values().length];
        for (Field f : Field.values()) {
            radix[PayloadWord.valueOf(f.name()).ordinal()] = f.radix();
        }
        return radix;
    }

    /** Finds the fields of {@code line[i, to)}: {@link #count} of them, their keys in {@link #keyStart}/{@link #keyEnd}. */
    private void split(byte[] line, int i, int to) {
        int pendingKey = -1;
        int pendingKeyEnd = -1;
        while (i < to && count < MAX_FIELDS) {
            while (i < to && line[i] == ' ') {
                i++;
            }
            if (i >= to) {
                break;
            }
            int s = i;
            i = ByteScan.spaceOrEnd(line, s + 1, to, equalsAt);
            int eq = equalsAt[0];
            int e = i;
            if (line[e - 1] == ',') {
                e--; // "addr 7f00, end 7fff"
            }
            if (eq >= 0) {
                if (pendingKey >= 0) {
                    add(pendingKey, pendingKeyEnd, -1, -1);
                    pendingKey = -1;
                }
                add(s, eq, eq + 1, e);
                continue;
            }
            byte c = line[s];
            if (!Decimal.isDigit(c) && Hex.digit(c) >= 0 && Hex.readInto(line, s, e, number, base + count)) {
                // a pointer such as ffff888000021000: checked and read as hex in one pass, eight
                // bytes at a time; readNumbers keeps the number when the key's radix reads it so
                if (pendingKey >= 0) {
                    hexRead |= 1 << count;
                    add(pendingKey, pendingKeyEnd, s, e);
                    pendingKey = -1;
                }
                continue;
            }
            if (Decimal.isDigit(c) || isValue(line, s, e)) { // the usual value here without a call
                if (pendingKey >= 0) {
                    add(pendingKey, pendingKeyEnd, s, trimParens(line, s, e));
                    pendingKey = -1;
                }
                continue;
            }
            if (pendingKey >= 0) {
                add(pendingKey, pendingKeyEnd, -1, -1);
            }
            pendingKey = line[s] == '(' ? s + 1 : s;
            pendingKeyEnd = e;
        }
        if (pendingKey >= 0) {
            add(pendingKey, pendingKeyEnd, -1, -1);
        }
    }

    private void growFields() {
        int n = word.length * 2;
        word = Arrays.copyOf(word, n);
        valueStart = Arrays.copyOf(valueStart, n);
        valueEnd = Arrays.copyOf(valueEnd, n);
        number = Arrays.copyOf(number, n);
    }

    /** Makes the queries below answer for payload {@code payload} of those {@link #parse} kept. */
    void select(int payload) {
        int slot = payload * SLOTS;
        long fieldsOf = payloadSlots[slot + AT_FIELDS];
        long range = payloadSlots[slot + AT_RANGE];
        long masks = payloadSlots[slot + AT_MASKS];
        base = (int) fieldsOf;
        count = (int) (fieldsOf >>> 32);
        from = (int) range;
        to = (int) (range >>> 32);
        wordMask = payloadSlots[slot + AT_WORDS];
        numberMask = (int) masks & 0xffff;
        prefixMask = (int) (masks >>> 16) & 0xffff;
        keyValue = (masks & KEY_VALUE_BIT) != 0;
    }

    /** Whether the payload is trace-cmd's {@code [FAILED TO PARSE]} key=value fallback. */
    boolean isKeyValue() {
        return keyValue;
    }

    /** Whether {@code word} appears as a key (with or without a value). */
    boolean has(PayloadWord word) {
        return (wordMask & (1L << word.ordinal())) != 0;
    }

    /** Whether the field is present with a value. */
    boolean hasValue(PayloadWord key) {
        return valueOf(key) >= 0;
    }

    /** The index of the first field named {@code key} when it has a value, else -1. */
    int valueOf(PayloadWord key) {
        int f = find(key);
        return f < 0 || valueStart[base + f] < 0 ? -1 : f;
    }

    /** The line's bytes, which {@link #valueStart}/{@link #valueEnd} index. */
    byte[] bytes() {
        return text;
    }

    int valueStart(int field) {
        return valueStart[base + field];
    }

    int valueEnd(int field) {
        return valueEnd[base + field];
    }

    /**
     * Whether field {@code field}'s value was read when the line was split: then {@link #number}
     * is the number {@code TextRecord.number} reads from it.
     */
    boolean numberRead(int field) {
        return (numberMask & (1 << field)) != 0;
    }

    /** The number of field {@code field}'s value, when {@link #numberRead}. */
    long number(int field) {
        return number[base + field];
    }

    /** Whether the value of field {@code field}, of a word that names a field, starts with {@code 0x}. */
    boolean hasHexPrefix(int field) {
        return (prefixMask & (1 << field)) != 0;
    }

    /** Whether field {@code field}'s value starts with {@code prefix} (ASCII). */
    boolean valueStartsWith(int field, String prefix) {
        return ByteScan.startsWith(text, valueStart(field), valueEnd(field), prefix);
    }

    /** Whether {@code field}'s value is a null pointer as {@code %p} prints it ({@link #isNullPointer}). */
    boolean valueIsNullPointer(int field) {
        return isNullPointer(text, valueStart(field), valueEnd(field));
    }

    /** A value's text, for messages and the rare values read as text. */
    String valueText(int field) {
        return new String(text, valueStart(field), valueEnd(field) - valueStart(field), StandardCharsets.UTF_8);
    }

    /** The payload as printed, for error messages. */
    String raw() {
        return new String(text, from, to - from, StandardCharsets.UTF_8);
    }

    private int find(PayloadWord key) {
        if (!has(key)) {
            return -1;
        }
        byte w = (byte) key.ordinal();
        for (int f = 0; f < count; f++) {
            if (word[base + f] == w) {
                return f;
            }
        }
        return -1;
    }

    /** Records a field; past the {@value #MAX_FIELDS}th (no tracepoint prints so many) there is no room, and no need. */
    private void add(int ks, int ke, int vs, int ve) {
        if (count == MAX_FIELDS) {
            return; // a key=value after a lone key can be the 17th field in one step of the loop
        }
        int at = base + count;
        valueStart[at] = vs;
        valueEnd[at] = ve;
        keyStart[count] = ks;
        keyEnd[count] = ke;
        count++;
    }

    private static boolean isValue(byte[] s, int from, int to) {
        byte c = s[from];
        if (c == '-' || Decimal.isDigit(c)) {
            return true; // no key word starts with a digit; "80zz" is a bad value, not a key
        }
        if (c == '(') {
            if (to - from > 1 && s[from + 1] < 0) {
                return isValue(new String(s, from, to - from, StandardCharsets.UTF_8));
            }
            return !(to - from > 1 && isAsciiLetter(s[from + 1])
                    && !ByteScan.startsWith(s, from, to, NULL) && !ByteScan.startsWith(s, from, to, NIL));
        }
        // 1 to 16 hex digits starting with a letter were found to be a value before this call (split)
        for (int k = from; k < to; k++) {
            byte b = s[k];
            if (Hex.digit(b) < 0 && b != ')') {
                // a key word stops here at its first letter beyond f; beyond ASCII, Character decides
                return b < 0 && isValue(new String(s, from, to - from, StandardCharsets.UTF_8));
            }
        }
        return true;
    }

    /** The same test on a token holding non-ASCII characters, as {@link Character} sees them. */
    private static boolean isValue(String s) {
        char c = s.charAt(0);
        if (c == '(') {
            return !(s.length() > 1 && Character.isLetter(s.charAt(1)) && !s.startsWith("(null)")
                    && !s.startsWith("(nil)"));
        }
        for (int k = 0; k < s.length(); k++) {
            if (Character.digit(s.charAt(k), 16) < 0 && s.charAt(k) != ')') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
    }

    /** {@code 8000...)} of {@code (raw 8000...)} without its closing parenthesis. */
    private static int trimParens(byte[] s, int from, int to) {
        return to > from + 1 && s[to - 1] == ')' && s[from] != '(' ? to - 1 : to;
    }
}
