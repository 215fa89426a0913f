package dev.mmutrace.trace.window;

import static com.google.common.base.Preconditions.checkArgument;

import dev.mmutrace.trace.TraceEvent;

/**
 * The part of a trace a run looks at: one contiguous run of events, bounded by event numbers
 * (0-based, as reports and the events log number events) or by timestamps (nanoseconds, as
 * {@link TraceEvent#timestampNs()}). The window starts at the first event at or after the from
 * bound and ends before the first event past the to bound, so it is never holed, and a reader can
 * stop at the first event past it.
 *
 * <p>The subtle thing: a time bound names a time as the trace prints it, at the precision it was
 * written with, so {@code --to-time 5.000123} keeps an event at 5.000123456 s (which prints as
 * 5.000123). That is why the end is kept as an exclusive nanosecond ({@code toEnd}): the given
 * time plus one unit of its last digit.
 *
 * @param by whether the bounds are event numbers or nanoseconds
 * @param from the first event number or nanosecond in the window (0: from the start)
 * @param toEnd the first event number or nanosecond past the window ({@link Long#MAX_VALUE}: to the end)
 * @param described the options that gave the window, for reports and messages
 */
public record TraceWindow(By by, long from, long toEnd, String described) {

    /** What a window's bounds count. */
    public enum By {
        EVENT, TIME
    }

    public TraceWindow {
        checkArgument(from >= 0, "from must be >= 0, got %s", from);
        checkArgument(toEnd > from, "the window [%s, %s) is empty", from, toEnd);
    }

    /** Whether {@code event}, number {@code index} in the trace, comes before the window's start. */
    public boolean before(long index, TraceEvent event) {
        return (by == By.EVENT ? index : event.timestampNs()) < from;
    }

    /** Whether {@code event}, number {@code index} in the trace, is past the window's end. */
    public boolean past(long index, TraceEvent event) {
        return (by == By.EVENT ? index : event.timestampNs()) >= toEnd;
    }
}
