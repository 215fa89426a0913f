package dev.mmutrace.trace.tracedat;

import dev.mmutrace.trace.TraceInputException;
import java.nio.ByteBuffer;

/**
 * Walks one cpu's ring-buffer pages event by event (the kernel's ring buffer layout, as
 * {@code events/header_page} and {@code header_event} describe it): each page starts with a
 * timestamp and a commit word (the bytes of events on the page, with "events were lost before this
 * page" flags in bits 31 and 30 and, when bit 30 is set, the lost count stored after the events);
 * each event with a 32-bit header of a 5-bit type and a 27-bit time delta. Types 1..28 are events of
 * that many 4-byte words, 0 an event whose length follows, 29 padding, 30 a time extend (a longer
 * delta), 31 an absolute timestamp.
 *
 * <p>The subtle thing: time is kept per cpu, as the sum of the page's timestamp and the deltas so
 * far, so every header must be read in order even when its event is not wanted.
 */
final class CpuCursor {
    private static final int TYPE_PADDING = 29;
    private static final int TYPE_TIME_EXTEND = 30;
    private static final int TYPE_TIME_STAMP = 31;
    private static final int TS_SHIFT = 27;
    private static final long MISSED_EVENTS = 1L << 31;
    private static final long MISSED_STORED = 1L << 30;
    private static final long COMMIT_MASK = (1L << 27) - 1;
    private static final long TS_MSB = 0xf8L << 56;

    final int cpu;
    private final CpuPages pages;
    private final TraceDatFile file;
    private ByteBuffer page;
    private int dataStart;
    private int size;
    private int next;
    private long timestamp;
    private long pendingLost;

    /** The current event: its data's offset in {@link #page()}, its length, its timestamp. */
    int eventOffset;
    int eventLength;
    long eventTimestamp;
    /** Events lost before the current one (-1: lost, count unknown; 0: none). */
    long lostBefore;

    CpuCursor(int cpu, CpuPages pages, TraceDatFile file) {
        this.cpu = cpu;
        this.pages = pages;
        this.file = file;
    }

    ByteBuffer page() {
        return page;
    }

    /** Moves to this cpu's next event; false when it has no more. */
    boolean advance() {
        while (true) {
            if (page == null || next >= size) {
                if (!loadPage()) {
                    return false;
                }
                continue;
            }
            int at = dataStart + next;
            int header = page.getInt(at);
            int typeLen = file.bigEndian ? header >>> 27 : header & 0x1f;
            long delta = file.bigEndian ? header & 0x07ff_ffff : header >>> 5;
            int body = at + 4;
            switch (typeLen) {
                case TYPE_PADDING:
                    // a padding's length word follows its header; the rest of the page when it is 0
                    next = delta == 0 ? size : (int) Math.min(Integer.MAX_VALUE, body - dataStart + word(body, "padding"));
                    if (next > size) {
                        throw damaged("padding running past the page's " + size + " bytes of events");
                    }
                    timestamp += delta;
                    continue;
                case TYPE_TIME_EXTEND:
                    timestamp += (word(body, "time extend") << TS_SHIFT) + delta;
                    next = body + 4 - dataStart;
                    continue;
                case TYPE_TIME_STAMP:
                    timestamp = ((word(body, "time stamp") << TS_SHIFT) + delta) | (timestamp & TS_MSB);
                    next = body + 4 - dataStart;
                    continue;
                case 0: {
                    long length = word(body, "event length") - 4;
                    if (length < 0) {
                        throw damaged("an event of negative length");
                    }
                    timestamp += delta;
                    eventOffset = body + 4;
                    eventLength = (int) ((length + 3) & ~3L);
                    break;
                }
                default:
                    timestamp += delta;
                    eventOffset = body;
                    eventLength = typeLen * 4;
                    break;
            }
            next = eventOffset + eventLength - dataStart;
            if (next > size) {
                throw damaged("an event running past the page's " + size + " bytes of events");
            }
            eventTimestamp = timestamp;
            lostBefore = pendingLost;
            pendingLost = 0;
            return true;
        }
    }

    private boolean loadPage() {
        page = pages.next();
        if (page == null) {
            return false;
        }
        dataStart = file.pageDataOffset;
        timestamp = page.getLong(0);
        long commit = file.commitSize == 8 ? page.getLong(8) : page.getInt(8) & 0xffffffffL;
        size = (int) (commit & COMMIT_MASK);
        if (dataStart + size > page.limit()) {
            throw damaged("a commit size of " + size + " bytes, beyond the page");
        }
        if ((commit & MISSED_EVENTS) != 0) {
            long lost = -1;
            if ((commit & MISSED_STORED) != 0 && dataStart + size + file.longSize <= page.limit()) {
                lost = file.longSize == 8 ? page.getLong(dataStart + size)
                        : page.getInt(dataStart + size) & 0xffffffffL;
            }
            pendingLost = pendingLost < 0 || lost < 0 ? -1 : pendingLost + lost;
        }
        next = 0;
        return true;
    }

    private long word(int at, String what) {
        if (at + 4 > dataStart + size) {
            throw damaged("a " + what + " cut by the page's end");
        }
        return page.getInt(at) & 0xffffffffL;
    }

    private TraceInputException damaged(String problem) {
        return TraceInputException.ofFile(file.source, "cpu " + cpu + ", page " + pages.pagesRead() + ": " + problem);
    }
}
