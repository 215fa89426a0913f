package dev.mmutrace.trace.io;

import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.SetPte;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.TraceReader;
import java.util.ArrayList;
import java.util.List;

/** A reader over a list that fails at {@code failAt} (or never, at -1) and notes how it was used. */
final class ListReader implements TraceReader {
    static final TraceHeader HEADER = TraceHeader.defaults(PagingMode.FOUR_LEVEL, 2, 0x8000);

    private final List<TraceEvent> events;
    private final int failAt;
    final TraceInputException failure = TraceInputException.atRecord("list", 1, "cpu", "a bad record");
    volatile int served;
    volatile boolean closed;
    volatile boolean readAfterClose;
    volatile int closings;

    /** {@code n} set_pte events over both vCPUs, each one different. */
    static List<TraceEvent> events(int n) {
        List<TraceEvent> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new SetPte(i % 2, i, (long) i * 8 % (0x8000L << 12), i));
        }
        return list;
    }

    ListReader(List<TraceEvent> events, int failAt) {
        this.events = events;
        this.failAt = failAt;
    }

    @Override
    public boolean hasNext() {
        readAfterClose |= closed;
        return served < events.size();
    }

    @Override
    public TraceEvent next() {
        readAfterClose |= closed;
        if (served == failAt) {
            throw failure;
        }
        return events.get(served++);
    }

    @Override
    public TraceHeader header() {
        return HEADER;
    }

    @Override
    public String source() {
        return "list";
    }

    @Override
    public void close() {
        closed = true;
        closings++;
    }
}
