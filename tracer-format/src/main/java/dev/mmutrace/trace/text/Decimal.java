package dev.mmutrace.trace.text;

/**
 * Decimal numbers read straight from ASCII bytes: the one decimal reader of the text formats (the
 * CSV rows and header, the ftrace line's cpu and timestamp, payload values and the preamble's cpu
 * count). Only the bytes '0'..'9' are digits, whatever {@link Character#isDigit} says of others.
 */
public final class Decimal {
    private Decimal() {
    }

    public static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** The index of the first byte in {@code b[from, to)} that is not a digit, or {@code to}. */
    public static int digitsEnd(byte[] b, int from, int to) {
        int i = from;
        while (i < to && isDigit(b[i])) {
            i++;
        }
        return i;
    }

    /** Whether {@code b[from, to)} is one or more digits. */
    public static boolean isNumber(byte[] b, int from, int to) {
        return to > from && digitsEnd(b, from, to) == to;
    }

    /**
     * The value of the digits {@code b[from, to)} (checked by the caller), modulo 2^64: 20 digits
     * wrap as a C {@code unsigned long} printed with {@code %lu} does, and a caller that wants no
     * more than 2^63 - 1 reads at most 19 and refuses a negative result.
     */
    public static long value(byte[] b, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }

    /**
     * Whether {@code b[from, to)} is a signed decimal as the kernel prints {@code %d} and
     * {@code %lu}: an optional {@code -} and one to 20 digits (what {@link #signedValue} reads).
     */
    public static boolean isSignedNumber(byte[] b, int from, int to) {
        int digits = to > from && b[from] == '-' ? from + 1 : from;
        return to - digits <= 20 && isNumber(b, digits, to);
    }

    /**
     * The value of {@code b[from, to)} (checked by the caller with {@link #isSignedNumber}) modulo
     * 2^64, negated after a {@code -}: {@code -1} and {@code 18446744073709551615} are both -1,
     * as the unsigned 64-bit value they print.
     */
    public static long signedValue(byte[] b, int from, int to) {
        boolean negative = b[from] == '-';
        long v = value(b, negative ? from + 1 : from, to);
        return negative ? -v : v;
    }

    /**
     * The value of the digits {@code b[from, to)} (checked by the caller), or {@code limit} when it
     * is larger: for counts that only have to be known to be too large, of any length.
     */
    public static long atMost(byte[] b, int from, int to, long limit) {
        long v = 0;
        for (int i = from; i < to; i++) {
            v = v * 10 + (b[i] - '0');
            if (v >= limit) {
                return limit;
            }
        }
        return v;
    }
}
