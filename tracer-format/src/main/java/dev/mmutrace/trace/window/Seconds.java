package dev.mmutrace.trace.window;

import java.util.Optional;

/**
 * Seconds as traces print them ({@code 1234.567890}: ftrace text has microseconds,
 * {@code trace-cmd report -t} nanoseconds), read exactly as a decimal into whole nanoseconds:
 * no floating point, so {@code 0.1} is 100,000,000 ns and not a neighbour of it.
 *
 * @param ns the time in nanoseconds
 * @param unitNs one unit of the last digit written: 1,000 for six decimals, 10^9 for none
 */
public record Seconds(long ns, long unitNs) {
    private static final int MAX_DECIMALS = 9;
    private static final long NS_PER_SECOND = 1_000_000_000L;

    /**
     * {@code text} as a time, or empty when it is not digits with an optional point and up to
     * nine decimals (a sign, an exponent, a tenth decimal or a time past 2^63 ns is refused).
     */
    public static Optional<Seconds> parse(String text) {
        int point = text.indexOf('.');
        String whole = point < 0 ? text : text.substring(0, point);
        String fraction = point < 0 ? "" : text.substring(point + 1);
        if (whole.isEmpty() || !digits(whole) || (point >= 0 && (fraction.isEmpty() || !digits(fraction)))
                || fraction.length() > MAX_DECIMALS) {
            return Optional.empty();
        }
        long unit = 1;
        for (int i = fraction.length(); i < MAX_DECIMALS; i++) {
            unit *= 10;
        }
        try {
            long seconds = Long.parseLong(whole);
            long nanos = fraction.isEmpty() ? 0 : Long.parseLong(fraction) * unit;
            return Optional.of(new Seconds(Math.addExact(Math.multiplyExact(seconds, NS_PER_SECOND), nanos), unit));
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }

    /** The first nanosecond that prints, at this time's precision, as a later time than it. */
    public long endNs() {
        return ns > Long.MAX_VALUE - unitNs ? Long.MAX_VALUE : ns + unitNs;
    }

    /** {@code ns} as seconds with nine decimals. */
    public static String format(long ns) {
        return ns / NS_PER_SECOND + "." + String.format(java.util.Locale.ROOT, "%09d", ns % NS_PER_SECOND);
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
