package dev.mmutrace.trace.window;

import dev.mmutrace.trace.Gap;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.TraceReader;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A trace cut to a {@link TraceWindow}: the window's events, and with {@code warm} the events
 * before it too (for a replay that warms its models up on them without counting them; which
 * event begins the window is then told by {@link #start()}). It stops reading its input at the
 * first event past the window, so a {@code --to} bound spares reading the rest of a file or pipe.
 *
 * <p>Without {@code warm} the reader finds the window's first event as it opens (reading and
 * dropping what comes before), so the first number is known before anything is replayed or
 * written, and a window with no event in it is refused before any output exists. With
 * {@code warm} it cannot be found ahead without holding the events before it, so an empty window
 * is refused when the input ends.
 */
public final class WindowedReader implements TraceReader {
    private final TraceReader in;
    private final TraceWindow window;
    private final boolean warm;
    private final WindowStart start = new WindowStart();
    /** The number of the next event {@code in} gives. */
    private long index;
    /** The next event to hand out, already read, when {@code holding}. */
    private TraceEvent ahead;
    private boolean holding;
    /** The window is over, or the input is: nothing more is read. */
    private boolean ended;
    private long lastTimestampNs = TraceEvent.NO_TIMESTAMP;
    private final List<TraceEvent> gapsBefore;

    public WindowedReader(TraceReader in, TraceWindow window, boolean warm) {
        this.in = in;
        this.window = window;
        this.warm = warm;
        List<TraceEvent> gaps = new ArrayList<>();
        if (!warm) {
            fill();
            if (start.index() > 0) {
                for (int cpu = 0; cpu < in.header().vcpus(); cpu++) {
                    gaps.add(Gap.ofUnknownSize(cpu, ahead.timestampNs()));
                }
            }
        }
        this.gapsBefore = List.copyOf(gaps);
    }

    /**
     * What a trace of this window alone starts with, since what came before it is not in it: a
     * gap on every vCPU at the first event's time (so a replay of it knows that state was
     * unknown); none when the window starts at event 0, and none with {@code warm}.
     */
    public List<TraceEvent> gapsBefore() {
        return gapsBefore;
    }

    /** The number of the window's first event, set as the reader meets it. */
    public WindowStart start() {
        return start;
    }

    /** The number (in the whole trace) of the first event this reader hands out. */
    public long firstIndex() {
        return warm ? 0 : start.index();
    }

    public TraceWindow window() {
        return window;
    }

    @Override
    public TraceHeader header() {
        return in.header();
    }

    @Override
    public String source() {
        return in.source();
    }

    @Override
    public boolean hasNext() {
        fill();
        return holding;
    }

    @Override
    public TraceEvent next() {
        fill();
        if (!holding) {
            throw new NoSuchElementException();
        }
        holding = false;
        TraceEvent e = ahead;
        ahead = null;
        return e;
    }

    /** Reads until an event to hand out is held or the window is over. */
    private void fill() {
        while (!holding && !ended) {
            if (!in.hasNext()) {
                ended = true;
                if (!start.known()) {
                    throw nothingInWindow();
                }
                return;
            }
            TraceEvent e = in.next();
            long i = index++;
            if (window.by() == TraceWindow.By.TIME) {
                checkTimestamp(i, e);
            }
            if (start.known()) {
                if (window.past(i, e)) {
                    ended = true;
                } else {
                    hold(e);
                }
            } else if (window.before(i, e)) {
                if (warm) {
                    hold(e);
                }
            } else if (window.past(i, e)) {
                ended = true;
                throw nothingInWindow();
            } else {
                start.set(i);
                hold(e);
            }
        }
    }

    private void hold(TraceEvent e) {
        ahead = e;
        holding = true;
    }

    private void checkTimestamp(long i, TraceEvent e) {
        if (e.timestampNs() == TraceEvent.NO_TIMESTAMP) {
            throw TraceInputException.ofFile(in.source(), "event " + i + " (" + e.type().wireName()
                    + ") has no timestamp, which " + window.described() + " needs");
        }
        lastTimestampNs = e.timestampNs();
    }

    private TraceInputException nothingInWindow() {
        String seen = window.by() == TraceWindow.By.EVENT || lastTimestampNs == TraceEvent.NO_TIMESTAMP
                ? index + (index == 1 ? " event" : " events") + " read"
                : "the last event read is at " + Seconds.format(lastTimestampNs) + " s";
        return TraceInputException.ofFile(in.source(), "no event in the window " + window.described() + " ("
                + seen + ")");
    }

    @Override
    public void close() {
        in.close();
    }
}
