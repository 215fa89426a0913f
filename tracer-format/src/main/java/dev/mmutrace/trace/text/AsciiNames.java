package dev.mmutrace.trace.text;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * A fixed set of names (an enum's constants) looked up by the bytes of a line, so no string is
 * made to find one: an open-addressed table keyed by a name's length and its first and last eight
 * bytes read as two numbers, which for a name of up to 16 bytes are the whole name.
 */
public final class AsciiNames<E> {
    private final Object[] byHash;
    private final byte[][] nameOf;
    private final long[] headOf;
    private final long[] tailOf;

    public AsciiNames(E[] values, Function<E, String> name) {
        int size = Integer.highestOneBit(values.length * 4);
        byHash = new Object[size];
        nameOf = new byte[size][];
        headOf = new long[size];
        tailOf = new long[size];
        for (E v : values) {
            byte[] bytes = name.apply(v).getBytes(StandardCharsets.US_ASCII);
            long head = ByteScan.head(bytes, 0, bytes.length);
            long tail = ByteScan.tail(bytes, 0, bytes.length);
            int h = hash(head, tail, bytes.length);
            while (byHash[h] != null) {
                h = (h + 1) & (size - 1);
            }
            byHash[h] = v;
            nameOf[h] = bytes;
            headOf[h] = head;
            tailOf[h] = tail;
        }
    }

    /** The value named by {@code b[from, to)}, or null when none is. */
    @SuppressWarnings("unchecked")
    public E of(byte[] b, int from, int to) {
        int n = to - from;
        if (n <= 0) {
            return null;
        }
        long head = ByteScan.head(b, from, to);
        long tail = ByteScan.tail(b, from, to);
        int h = hash(head, tail, n);
        while (byHash[h] != null) {
            if (headOf[h] == head && tailOf[h] == tail && nameOf[h].length == n
                    && (n <= 2 * Long.BYTES || middleIsAt(nameOf[h], b, from))) {
                return (E) byHash[h];
            }
            h = (h + 1) & (byHash.length - 1);
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

    /** The top bits of a multiplicative mix (its low bits would depend on the names' first bytes only). */
    private int hash(long head, long tail, int n) {
        long mixed = (head * 31 + tail) * 0x9e37_79b9_7f4a_7c15L + n * 0xbf58_476d_1ce4_e5b9L;
        return (int) (mixed >>> (Long.SIZE - Integer.numberOfTrailingZeros(byHash.length)));
    }
}
