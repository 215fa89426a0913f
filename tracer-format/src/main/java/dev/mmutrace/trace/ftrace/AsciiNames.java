package dev.mmutrace.trace.ftrace;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * A fixed set of names (an enum's constants) looked up by the bytes of a line, so no string is
 * made to find one: an open-addressed table over a hash of the length and two bytes, then a byte
 * comparison.
 */
final class AsciiNames<E> {
    private final Object[] byHash;
    private final byte[][] nameOf;

    AsciiNames(E[] values, Function<E, String> name) {
        int size = Integer.highestOneBit(values.length * 4);
        byHash = new Object[size];
        nameOf = new byte[size][];
        for (E v : values) {
            byte[] bytes = name.apply(v).getBytes(StandardCharsets.US_ASCII);
            int h = hash(bytes, 0, bytes.length);
            while (byHash[h] != null) {
                h = (h + 1) & (size - 1);
            }
            byHash[h] = v;
            nameOf[h] = bytes;
        }
    }

    /** The value named by {@code b[from, to)}, or null when none is. */
    @SuppressWarnings("unchecked")
    E of(byte[] b, int from, int to) {
        if (to <= from) {
            return null;
        }
        int h = hash(b, from, to);
        while (byHash[h] != null) {
            if (isAt(nameOf[h], b, from, to)) {
                return (E) byHash[h];
            }
            h = (h + 1) & (byHash.length - 1);
        }
        return null;
    }

    private static boolean isAt(byte[] name, byte[] b, int from, int to) {
        if (to - from != name.length) {
            return false;
        }
        for (int k = 0; k < name.length; k++) {
            if (b[from + k] != name[k]) {
                return false;
            }
        }
        return true;
    }

    /** Many names share a prefix ({@code xen_mmu_}); the length, middle and last bytes tell them apart. */
    private int hash(byte[] b, int from, int to) {
        int n = to - from;
        return (n * 31 + b[from + n / 2] * 7 + b[to - 1]) & (byHash.length - 1);
    }
}
