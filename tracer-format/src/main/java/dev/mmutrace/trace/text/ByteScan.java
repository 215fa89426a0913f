package dev.mmutrace.trace.text;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Searches in ASCII text eight bytes at a time (SWAR: one {@code long} holds eight bytes), which
 * is what lets the importer cross a line's long runs of hex digits without a branch per byte.
 *
 * <p>The subtle thing: {@link #matches} is exact only for its lowest flagged byte (a borrow can
 * flag a byte above a true match, never one below), so every search here takes the lowest one.
 */
public final class ByteScan {
    /** Eight bytes of an array as one little-endian {@code long}; {@link Hex} reads through it too. */
    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** 0x01 in every byte: {@code c * ONES} is byte {@code c} eight times. */
    static final long ONES = 0x0101_0101_0101_0101L;
    static final long HIGH_BITS = 0x8080_8080_8080_8080L;
    private static final long SPACES = ' ' * ONES;
    private static final long EQUALS = '=' * ONES;

    private ByteScan() {
    }

    /** The first {@code \n} or {@code \r} in {@code b[from, to)}, or {@code to}. */
    public static int lineEnd(byte[] b, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long x = (long) LONGS.get(b, i);
            // a byte below 14 (ftrace text has none but the line end and a rare tab) flags the word
            if (((x - 14 * ONES) & ~x & HIGH_BITS) != 0) {
                for (int k = i; k < i + Long.BYTES; k++) {
                    if (b[k] == '\n' || b[k] == '\r') {
                        return k;
                    }
                }
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n' || b[i] == '\r') {
                return i;
            }
        }
        return to;
    }

    /**
     * The first space in {@code b[from, to)}, or {@code to}; {@code equalsAt[0]} becomes the
     * first {@code '='} before it, or -1.
     */
    public static int spaceOrEnd(byte[] b, int from, int to, int[] equalsAt) {
        int eq = -1;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long x = (long) LONGS.get(b, i);
            long space = matches(x, SPACES);
            long equals = matches(x, EQUALS);
            if (space != 0) {
                int at = i + (Long.numberOfTrailingZeros(space) >>> 3);
                if (eq < 0 && equals != 0) {
                    int e = i + (Long.numberOfTrailingZeros(equals) >>> 3);
                    eq = e < at ? e : -1;
                }
                equalsAt[0] = eq;
                return at;
            }
            if (eq < 0 && equals != 0) {
                eq = i + (Long.numberOfTrailingZeros(equals) >>> 3);
            }
        }
        for (; i < to && b[i] != ' '; i++) {
            if (eq < 0 && b[i] == '=') {
                eq = i;
            }
        }
        equalsAt[0] = eq;
        return i;
    }

    /** The first {@code c} in {@code b[from, to)}, or -1. */
    public static int indexOf(byte[] b, char c, int from, int to) {
        long pattern = c * ONES;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long hit = matches((long) LONGS.get(b, i), pattern);
            if (hit != 0) {
                return i + (Long.numberOfTrailingZeros(hit) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code b[from, to)} starts with the ASCII text {@code prefix}. */
    public static boolean startsWith(byte[] b, int from, int to, String prefix) {
        if (to - from < prefix.length()) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (b[from + k] != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code b[from, to)} starts with the bytes of {@code prefix}. */
    public static boolean startsWith(byte[] b, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if (b[from + k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code b[i, i + n)} and {@code b[j, j + n)} hold the same bytes (both within the
     * array), compared eight at a time; the last eight of a length that is no multiple of eight
     * overlap the ones before.
     */
    public static boolean same(byte[] b, int i, int j, int n) {
        if (n < Long.BYTES) {
            for (int k = 0; k < n; k++) {
                if (b[i + k] != b[j + k]) {
                    return false;
                }
            }
            return true;
        }
        int last = n - Long.BYTES;
        for (int k = 0; k < last; k += Long.BYTES) {
            if ((long) LONGS.get(b, i + k) != (long) LONGS.get(b, j + k)) {
                return false;
            }
        }
        return (long) LONGS.get(b, i + last) == (long) LONGS.get(b, j + last);
    }

    /** The first (up to) eight bytes of {@code b[from, to)} as a little-endian number, zeros after. */
    public static long head(byte[] b, int from, int to) {
        if (from + Long.BYTES > b.length) {
            return headNearEnd(b, from, to); // kept apart, so that head is small enough to inline
        }
        long word = (long) LONGS.get(b, from);
        int n = to - from;
        return n >= Long.BYTES ? word : word & ~(-1L << (n << 3));
    }

    /** {@link #head} byte by byte, where eight bytes from {@code from} would pass the array's end. */
    private static long headNearEnd(byte[] b, int from, int to) {
        long word = 0;
        for (int k = Math.min(to - from, Long.BYTES) - 1; k >= 0; k--) {
            word = (word << 8) | (b[from + k] & 0xff);
        }
        return word;
    }

    /** The last eight bytes of {@code b[from, to)}, or {@link #head} when there are fewer. */
    public static long tail(byte[] b, int from, int to) {
        return to - from >= Long.BYTES ? (long) LONGS.get(b, to - Long.BYTES) : head(b, from, to);
    }

    /** High bit set in each byte of {@code word} equal to its byte of {@code pattern}; exact for the lowest. */
    private static long matches(long word, long pattern) {
        long x = word ^ pattern;
        return (x - ONES) & ~x & HIGH_BITS;
    }
}
