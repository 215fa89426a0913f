package dev.mmutrace.trace.text;

import static dev.mmutrace.trace.text.ByteScan.HIGH_BITS;
import static dev.mmutrace.trace.text.ByteScan.LONGS;
import static dev.mmutrace.trace.text.ByteScan.ONES;

import java.util.OptionalLong;

/**
 * Hex numbers read straight from ASCII bytes. A value of up to 16 digits (a pte, a pointer) is
 * checked and converted eight digits at a time, one {@code long} per eight bytes, rather than
 * digit by digit: that is most of an entry-update line's work.
 *
 * <p>The subtle thing: the eight bytes read end at the value's last digit, so the bytes before a
 * short value (its key, a space) are read too; they are replaced by {@code '0'}, which adds nothing.
 */
public final class Hex {
    private static final long ZEROS = '0' * ONES;
    private static final byte[] DIGITS = new byte[256];

    static {
        java.util.Arrays.fill(DIGITS, (byte) -1);
        for (int c = '0'; c <= '9'; c++) {
            DIGITS[c] = (byte) (c - '0');
        }
        for (int c = 'a'; c <= 'f'; c++) {
            DIGITS[c] = (byte) (c - 'a' + 10);
            DIGITS[c - 'a' + 'A'] = (byte) (c - 'a' + 10);
        }
    }

    private Hex() {
    }

    /** The value of an ASCII hex digit, or -1 for any other byte (non-ASCII ones included). */
    public static int digit(byte b) {
        return DIGITS[b & 0xff];
    }

    /** Whether {@code b[from, to)} is 1 to 16 ASCII hex digits, so {@link #value} can read it. */
    public static boolean isNumber(byte[] b, int from, int to) {
        int n = to - from;
        if (n < 1 || n > 16) {
            return false;
        }
        if (to < (n > 8 ? 16 : 8)) {
            return digitByDigit(b, from, to) >= 0; // too near the array's start to read whole words
        }
        long notDigits = notDigits(lastDigits(b, to, Math.min(n, 8)));
        if (n > 8) {
            notDigits |= notDigits(lastDigits(b, to - 8, n - 8));
        }
        return notDigits == 0;
    }

    /** The value of 1 to 16 hex digits that {@link #isNumber} accepted. */
    public static long value(byte[] b, int from, int to) {
        int n = to - from;
        if (to < (n > 8 ? 16 : 8)) {
            return digitByDigit(b, from, to);
        }
        long low = eightDigits(lastDigits(b, to, Math.min(n, 8)));
        return n > 8 ? eightDigits(lastDigits(b, to - 8, n - 8)) << 32 | low : low;
    }

    /**
     * {@link #isNumber} and {@link #value} in one pass over the digits: when {@code b[from, to)} is
     * 1 to 16 ASCII hex digits, puts its value in {@code into[at]} and returns true; else returns
     * false and leaves {@code into[at]} as it was. Each eight bytes are loaded once for both the
     * test and the conversion (the importer reads two or three such values a line).
     */
    public static boolean readInto(byte[] b, int from, int to, long[] into, int at) {
        int n = to - from;
        if (n < 1 || n > 16) {
            return false;
        }
        if (to < (n > 8 ? 16 : 8)) {
            return readDigitByDigit(b, from, to, into, at); // too near the array's start to read whole words
        }
        long low = lastDigits(b, to, Math.min(n, 8));
        long notDigits = notDigits(low);
        long value = eightDigits(low);
        if (n > 8) {
            long high = lastDigits(b, to - 8, n - 8);
            notDigits |= notDigits(high);
            value |= eightDigits(high) << 32;
        }
        if (notDigits != 0) {
            return false;
        }
        into[at] = value;
        return true;
    }

    /** {@link #readInto} digit by digit (fewer than 16 digits, so a number is never -1). */
    private static boolean readDigitByDigit(byte[] b, int from, int to, long[] into, int at) {
        long v = digitByDigit(b, from, to);
        if (v < 0) {
            return false;
        }
        into[at] = v;
        return true;
    }

    /**
     * {@code s} from {@code from} on as 1 to 16 hex digits the way {@link Character#digit} reads
     * them, digits beyond ASCII (a fullwidth 'ｆ') included; empty when it is not such a number. The
     * slow path for a value {@link #isNumber} refused, so that such text reads as it always did.
     */
    public static OptionalLong valueOf(String s, int from) {
        int n = s.length();
        if (n == from || n - from > 16) {
            return OptionalLong.empty();
        }
        long r = 0;
        for (int i = from; i < n; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                return OptionalLong.empty();
            }
            r = (r << 4) | d;
        }
        return OptionalLong.of(r);
    }

    /** The eight bytes ending at {@code end}, the first {@code 8 - digits} of them made {@code '0'}. */
    private static long lastDigits(byte[] b, int end, int digits) {
        long word = (long) LONGS.get(b, end - 8);
        long keep = -1L << (8 * (8 - digits)); // little-endian: the last bytes are the high ones
        return (word & keep) | (ZEROS & ~keep);
    }

    /** High bit set in each byte that is not an ASCII hex digit. */
    private static long notDigits(long word) {
        long ascii = word & ~HIGH_BITS; // below 0x80 per byte, so the sums below never carry
        long lower = ascii | (0x20 * ONES); // 'A'..'F' -> 'a'..'f'; only those and 'a'..'f' land there
        long digits = between(ascii, '0', '9') | between(lower, 'a', 'f');
        return (~digits & HIGH_BITS) | (word & HIGH_BITS);
    }

    /** High bit set in each byte (all below 0x80) from {@code lo} to {@code hi}. */
    private static long between(long word, int lo, int hi) {
        long atLeastLo = word + (0x80 - lo) * ONES;
        long aboveHi = word + (0x7f - hi) * ONES;
        return atLeastLo & ~aboveHi & HIGH_BITS;
    }

    /** Eight hex digits, the first (most significant) in the lowest byte, as a 32-bit value. */
    private static long eightDigits(long word) {
        // '0'..'9' have bit 6 clear, letters set: low nibble, plus 9 for a letter
        long n = (word & (0x0f * ONES)) + ((word >>> 6) & ONES) * 9;
        n = Long.reverseBytes(n); // first digit to the top byte
        n = (n | (n >>> 4)) & 0x00ff_00ff_00ff_00ffL;
        n = (n | (n >>> 8)) & 0x0000_ffff_0000_ffffL;
        return (n | (n >>> 16)) & 0xffff_ffffL;
    }

    /** The value digit by digit, or -1 when a byte is not a hex digit (only for 1..16 digits). */
    private static long digitByDigit(byte[] b, int from, int to) {
        long r = 0;
        for (int i = from; i < to; i++) {
            int d = digit(b[i]);
            if (d < 0) {
                return -1;
            }
            r = (r << 4) | d;
        }
        return r;
    }
}
