package dev.mmutrace.trace.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Unpacks a run of protobuf varints (a packed repeated field) into a {@code long[]}: the decoder's
 * hottest loop (docs/performance.md), giving what a byte-by-byte reader gives.
 *
 * <p>Read byte by byte, each value's length is a branch (is this its last byte?) and the start of
 * the next value waits for it: where lengths vary from value to value (deltas of addresses, PTE
 * values) the cpu guesses the branch wrong often, and where they do not the chain still holds it
 * to a value every few cycles. Here, instead:
 * <ul>
 * <li>a run with no byte that has its top bit set (checked eight bytes at a time) is one-byte
 * values only, as most columns of a batch are (kinds, vCPUs, levels, enums): each byte widened;
 * <li>otherwise the run is taken 64 bytes at a time from a value's first byte: the bytes that end
 * a value (top bit clear) are found eight at a time and gathered into one 64-bit mask. A mask of
 * all ends is 64 one-byte values, one of every second byte 32 two-byte values (timestamp deltas
 * are mostly two bytes), each decoded without a branch per value; any other mask is walked end by
 * end, each value of up to 8 bytes taken from one 8-byte little-endian word, its 7-bit groups
 * closed up with shifts and masks (a value of 9 or 10 bytes, a PTE with the NX bit: from the word
 * and the one or two bytes after it). A value near the end of the array, where a word would reach
 * past it, is read byte by byte.
 * </ul>
 */
final class PackedVarints {
    private static final VarHandle LITTLE_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long TOP_BITS = 0x8080808080808080L;
    /** Moves bit 8i + 7 to bit 56 + i for each of the eight bytes i of a word (its top bits). */
    private static final long GATHER_TOP_BITS = 0x0002040810204081L;
    /** The ends of 64 bytes of two-byte values: every second byte. */
    private static final long TWO_BYTE_ENDS = 0xaaaaaaaaaaaaaaaaL;
    /** The most bytes a varint of 64 bits takes. */
    private static final int MAX_BYTES = 10;
    /** What {@link #unpack} returns for bytes that are not whole varints. */
    static final int CORRUPT = -1;

    private PackedVarints() {
    }

    /**
     * Appends the varints in {@code in[from, to)} to {@code out} from index {@code n}, as unsigned
     * 64-bit values (bits beyond 64 in a tenth byte dropped, as protobuf does); {@code out} has
     * room for {@code to - from} more, since a varint takes at least one byte. Returns the new
     * count, or {@link #CORRUPT} when the last varint runs past {@code to} or one is longer than
     * 10 bytes.
     */
    static int unpack(byte[] in, int from, int to, long[] out, int n) {
        return oneByteEach(in, from, to) ? widen(in, from, to, out, n) : byEnds(in, from, to, out, n);
    }

    private static boolean oneByteEach(byte[] in, int from, int to) {
        int at = from;
        for (; at <= to - Long.BYTES; at += Long.BYTES) {
            if (((long) LITTLE_ENDIAN_LONG.get(in, at) & TOP_BITS) != 0) {
                return false;
            }
        }
        for (; at < to; at++) {
            if (in[at] < 0) {
                return false;
            }
        }
        return true;
    }

    private static int widen(byte[] in, int from, int to, long[] out, int n) {
        int shift = n - from;
        for (int at = from; at < to; at++) {
            out[at + shift] = in[at];
        }
        return to + shift;
    }

    private static int byEnds(byte[] in, int from, int to, long[] out, int n) {
        int start = from; // where the next value begins
        while (start < to) {
            // the next 64 bytes (or fewer, up to the run's end) from a value's first byte
            long ends = ends(in, start, to);
            if (ends == -1L) { // 64 one-byte values
                n = widen(in, start, start + Long.SIZE, out, n);
                start += Long.SIZE;
            } else if (ends == TWO_BYTE_ENDS) { // 32 two-byte values
                n = twoByteEach(in, start, out, n);
                start += Long.SIZE;
            } else if (ends == 0) {
                return CORRUPT; // a value longer than 10 bytes, or the last one runs past the run
            } else {
                int base = start;
                do {
                    int end = base + Long.numberOfTrailingZeros(ends); // the value's last byte
                    ends &= ends - 1;
                    int bytes = end - start + 1;
                    if (bytes <= Long.BYTES && start <= in.length - Long.BYTES) {
                        long word = (long) LITTLE_ENDIAN_LONG.get(in, start);
                        out[n] = closeUp(word & (-1L >>> (Long.SIZE - Long.BYTES * bytes)));
                    } else if (bytes <= MAX_BYTES && start <= in.length - Long.BYTES) {
                        // 9 or 10 bytes: 56 bits from the word, 7 from the ninth byte, and from a
                        // tenth the one bit left of 64 (protobuf drops the rest)
                        long v = closeUp((long) LITTLE_ENDIAN_LONG.get(in, start)) | (in[start + 8] & 0x7fL) << 56;
                        if (bytes == MAX_BYTES) {
                            v |= (long) in[start + 9] << 63;
                        }
                        out[n] = v;
                    } else if (slow(in, start, to, out, n) == CORRUPT) {
                        return CORRUPT; // longer than 10 bytes
                    }
                    n++;
                    start = end + 1;
                } while (ends != 0);
            }
        }
        return n;
    }

    /**
     * The 32 two-byte values in {@code in[base, base + 64)}, a value from each pair of bytes: four
     * from each 8-byte word took more bytecodes than the launcher's inlining limit
     * (-XX:FreqInlineSize=70) lets C2 inline into {@link #byEnds}.
     */
    private static int twoByteEach(byte[] in, int base, long[] out, int n) {
        for (int at = base; at < base + Long.SIZE; at += 2) {
            out[n++] = (in[at] & 0x7fL) | (in[at + 1] & 0x7fL) << 7;
        }
        return n;
    }

    /**
     * Bit i set when {@code in[base + i]} ends a varint (its top bit clear), for the up to 64
     * bytes from {@code base} before {@code to}: eight at a time, each word's top bits gathered
     * into one byte by a multiplication. The usual case, 64 bytes before the run's end, is a
     * method of its own, small enough for the launcher's inlining limit (-XX:FreqInlineSize=70
     * bytecodes) to let C2 inline it into {@link #byEnds}.
     */
    private static long ends(byte[] in, int base, int to) {
        return to - base >= Long.SIZE ? endsOf64(in, base) : endsNearEnd(in, base, to);
    }

    private static long endsOf64(byte[] in, int base) {
        long ends = 0;
        for (int i = 0; i < Long.SIZE; i += Long.BYTES) {
            long tops = ~(long) LITTLE_ENDIAN_LONG.get(in, base + i) & TOP_BITS;
            ends |= (tops * GATHER_TOP_BITS >>> 56) << i;
        }
        return ends;
    }

    /** {@link #ends} for fewer than 64 bytes before the run's end. */
    private static long endsNearEnd(byte[] in, int base, int to) {
        long ends = 0;
        int i = 0;
        for (; base + i <= to - Long.BYTES; i += Long.BYTES) {
            long tops = ~(long) LITTLE_ENDIAN_LONG.get(in, base + i) & TOP_BITS;
            ends |= (tops * GATHER_TOP_BITS >>> 56) << i;
        }
        for (; base + i < to; i++) {
            if (in[base + i] >= 0) {
                ends |= 1L << i;
            }
        }
        return ends;
    }

    /** The 7-bit groups of up to 8 varint bytes, lowest first, closed up into one 56-bit value. */
    private static long closeUp(long bytes) {
        long x = bytes & 0x7f7f7f7f7f7f7f7fL;
        x = (x & 0x007f007f007f007fL) | ((x & 0x7f007f007f007f00L) >>> 1);
        x = (x & 0x00003fff00003fffL) | ((x & 0x3fff00003fff0000L) >>> 2);
        return (x & 0x000000000fffffffL) | ((x & 0x0fffffff00000000L) >>> 4);
    }

    /** One varint read byte by byte into {@code out[index]}: where the next begins, or {@link #CORRUPT}. */
    private static int slow(byte[] in, int from, int to, long[] out, int index) {
        int at = from;
        long v = 0;
        for (int shift = 0;; shift += 7) {
            if (at == to || shift > 63) {
                return CORRUPT; // runs past the run, or longer than 10 bytes
            }
            byte b = in[at++];
            v |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                out[index] = v;
                return at;
            }
        }
    }
}
