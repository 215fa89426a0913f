package dev.mmutrace.trace.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A fixed set of names (an enum's constants) looked up by the bytes of a line, so no string is
 * made to find one. A name is keyed by its length and its first and last eight bytes read as two
 * numbers ({@link ByteScan#head}, {@link ByteScan#tail}), which for a name of up to 16 bytes are
 * the whole name; the key picks one slot of a table, and one compare of the slot's key says
 * whether the bytes are that name.
 *
 * <p>The subtle thing: the hash is perfect for the set: the constructor tries multipliers (a
 * fixed sequence, so every run builds the same table) until no two keys share a slot, so a lookup
 * never probes further, whether it finds a name or not. The key words of a line are looked up
 * this way several times a line (ftrace payloads, CSV columns); a probing table cost a loop and a
 * byte array's length read per step. Names longer than 16 bytes whose keys are equal (they differ
 * only between their first and last eight bytes) share a slot, and their middles are compared.
 */
public final class AsciiNames<E> {
    /** A name of up to this many bytes is its key: head and tail together cover it. */
    private static final int WHOLE = 2 * Long.BYTES;
    /** Multipliers tried per table size before the table doubles; a set of 40 names needs a few. */
    private static final int TRIES = 256;

    private final int shift;
    private final long multiplier;
    /** Each slot's key: 0 as the length of an empty slot, which no name has. */
    private final int[] lengthAt;
    private final long[] headAt;
    private final long[] tailAt;
    /** The value of the slot's name, for names of up to {@value #WHOLE} bytes. */
    private final Object[] valueAt;
    /** The names longer than {@value #WHOLE} bytes with the slot's key, and their values. */
    private final byte[][][] longNamesAt;
    private final Object[][] longValuesAt;

    public AsciiNames(E[] values, Function<E, String> name) {
        Map<Key, Integer> slotOf = new HashMap<>();
        List<Key> keys = new ArrayList<>();
        byte[][] bytes = new byte[values.length][];
        for (int v = 0; v < values.length; v++) {
            bytes[v] = name.apply(values[v]).getBytes(StandardCharsets.US_ASCII);
            if (bytes[v].length == 0) {
                continue; // no text is empty when looked up (of)
            }
            Key k = Key.of(bytes[v]);
            if (slotOf.putIfAbsent(k, keys.size()) == null) {
                keys.add(k);
            }
        }
        int bits = Math.max(4, 32 - Integer.numberOfLeadingZeros(keys.size() * 4 - 1));
        long m = multiplier(keys, bits);
        while (m == 0) {
            m = multiplier(keys, ++bits);
        }
        shift = Long.SIZE - bits;
        multiplier = m;
        int size = 1 << bits;
        lengthAt = new int[size];
        headAt = new long[size];
        tailAt = new long[size];
        valueAt = new Object[size];
        longNamesAt = new byte[size][][];
        longValuesAt = new Object[size][];
        for (int v = 0; v < values.length; v++) {
            if (bytes[v].length == 0) {
                continue;
            }
            Key k = Key.of(bytes[v]);
            int h = slot(k.head, k.tail, k.length);
            if (k.length <= WHOLE && lengthAt[h] != 0) {
                continue; // a name given twice: the first one's value, as a search in order finds
            }
            lengthAt[h] = k.length;
            headAt[h] = k.head;
            tailAt[h] = k.tail;
            if (k.length <= WHOLE) {
                valueAt[h] = values[v];
            } else {
                int n = longNamesAt[h] == null ? 0 : longNamesAt[h].length;
                longNamesAt[h] = longNamesAt[h] == null ? new byte[1][] : Arrays.copyOf(longNamesAt[h], n + 1);
                longValuesAt[h] = longValuesAt[h] == null ? new Object[1] : Arrays.copyOf(longValuesAt[h], n + 1);
                longNamesAt[h][n] = bytes[v];
                longValuesAt[h][n] = values[v];
            }
        }
    }

    /**
     * A name's key: its length, first and last eight bytes. Its equals and hashCode are written
     * out: a record's own are bound at their first call through {@code ObjectMethods}, which spins
     * some 16 method-handle classes at run time, 5-10 ms of every import's start on the thread
     * that parses the first lines (docs/performance.md, Start-up).
     */
    private record Key(int length, long head, long tail) {
        static Key of(byte[] b) {
            return new Key(b.length, ByteScan.head(b, 0, b.length), ByteScan.tail(b, 0, b.length));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.length == length && k.head == head && k.tail == tail;
        }

        @Override
        public int hashCode() {
            return 31 * (31 * length + Long.hashCode(head)) + Long.hashCode(tail);
        }
    }

    /**
     * The value named by {@code b[from, to)}, or null when none is. Kept under 70 bytecodes, so
     * that the JIT inlines it where it is called once a token.
     */
    @SuppressWarnings("unchecked")
    public E of(byte[] b, int from, int to) {
        int n = to - from;
        long head = ByteScan.head(b, from, to);
        long tail = ByteScan.tail(b, from, to);
        int h = slot(head, tail, n);
        return holds(h, head, tail, n) ? (E) valueAt(h, b, from, n) : null;
    }

    /**
     * Whether slot {@code h} holds a name of this key. An empty range's key (length 0, head and
     * tail 0) is that of an empty slot, whose value is null: no name is empty.
     */
    private boolean holds(int h, long head, long tail, int n) {
        return lengthAt[h] == n && headAt[h] == head && tailAt[h] == tail;
    }

    /** The value of the name of slot {@code h}'s key at {@code b[from...]}: the slot's, or a long name's by its middle. */
    private Object valueAt(int h, byte[] b, int from, int n) {
        return n <= WHOLE ? valueAt[h] : longName(h, b, from);
    }

    /** The value of the name in slot {@code h} whose middle bytes are those at {@code b[from + 8...]}, or null. */
    private Object longName(int h, byte[] b, int from) {
        byte[][] names = longNamesAt[h];
        for (int k = 0; k < names.length; k++) {
            if (middleIsAt(names[k], b, from)) {
                return longValuesAt[h][k];
            }
        }
        return null;
    }

    /** The bytes between the first and last eight (none for a name of up to 16 bytes). */
    private static boolean middleIsAt(byte[] name, byte[] b, int from) {
        for (int k = Long.BYTES; k < name.length - Long.BYTES; k++) {
            if (b[from + k] != name[k]) {
                return false;
            }
        }
        return true;
    }

    private int slot(long head, long tail, int n) {
        return hash(head, tail, n, multiplier, shift);
    }

    /** The top bits of a multiplicative mix of the key (its low bits would depend on the first bytes only). */
    private static int hash(long head, long tail, int n, long multiplier, int shift) {
        return (int) ((((head * multiplier) ^ tail) + n) * 0xbf58_476d_1ce4_e5b9L >>> shift);
    }

    /** The first of a fixed sequence of multipliers that gives every key a slot of its own among 2^bits, or 0. */
    private static long multiplier(List<Key> keys, int bits) {
        long seed = 0;
        for (int t = 0; t < TRIES; t++) {
            seed += 0x9e37_79b9_7f4a_7c15L;
            long m = mix(seed) | 1;
            if (perfect(keys, m, bits)) {
                return m;
            }
        }
        return 0;
    }

    private static boolean perfect(List<Key> keys, long multiplier, int bits) {
        boolean[] taken = new boolean[1 << bits];
        for (Key k : keys) {
            int h = hash(k.head, k.tail, k.length, multiplier, Long.SIZE - bits);
            if (taken[h]) {
                return false;
            }
            taken[h] = true;
        }
        return true;
    }

    /** SplitMix64's finaliser: a well-spread multiplier from a counter. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58_476d_1ce4_e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d0_49bb_1331_11ebL;
        return z ^ (z >>> 31);
    }
}
