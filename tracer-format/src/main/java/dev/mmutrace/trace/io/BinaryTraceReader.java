package dev.mmutrace.trace.io;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.mmutrace.trace.EventValidator;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.TraceInputException.Unit;
import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.proto.Event;
import dev.mmutrace.trace.proto.Header;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.zip.ZipException;

/**
 * Reads a binary trace (docs/trace-format.md): the preamble, the header (record 0), then records
 * until the end of the file, each read into one reused buffer: in version 2 an {@code EventBatch}
 * per record ({@link EventBatchDecoder}), in version 1 an {@code Event} per record. The framing is
 * read by hand rather than with protobuf's parseDelimitedFrom so that a file that ends inside a
 * record, a length no record can have and a record that does not parse each get their own
 * message with the record number.
 *
 * <p>Version 1's events are decoded {@value #BATCH_EVENTS} at a time in two passes: every record
 * of the batch is parsed into its protobuf message, then every message becomes its event. The
 * parser's garbage (streams, builders, messages) then lies before the batch's events instead of
 * between them, so the events sit side by side in memory and a replay reads them as a stream,
 * which it does markedly faster when they were decoded on another thread (docs/performance.md).
 * In either version a bad record fails {@link #next()} right after the last good event before it.
 */
final class BinaryTraceReader implements TraceReader {
    private final InputStream in;
    private final String source;
    private final TraceHeader header;
    private final EventValidator validator;
    /** Version 2's decoder; empty for a version 1 file. */
    private final Optional<EventBatchDecoder> batches;
    static final int BATCH_EVENTS = 256;

    private byte[] buffer = new byte[256];
    /** The number of the last record read: -1 before the header, which is record 0. */
    private long record = -1;

    /** The batch: its parsed messages and their record numbers, then its events. */
    private final Event[] messages = new Event[BATCH_EVENTS];
    private final long[] recordOf = new long[BATCH_EVENTS];
    private TraceEvent[] events = new TraceEvent[BATCH_EVENTS];
    /** Events handed out before the current batch, so that an error can name a batch's event in the trace. */
    private long eventsBefore;
    private int count;
    private int at;
    /** Why the batch stopped short (a bad record, a truncated file), to throw once its events are out. */
    private RuntimeException failure;
    private boolean ended;

    /** Reads the preamble and the header from {@code in}, which must be buffered. */
    BinaryTraceReader(InputStream in, String source) {
        this.in = in;
        this.source = source;
        int version = readPreamble();
        int length = readLength(BinaryLayout.MAX_HEADER_BYTES);
        if (length < 0) {
            throw TraceInputException.atRecord(source, 0, TraceInputException.NO_FIELD,
                    "truncated: the file ends before the header");
        }
        readRecord(length);
        Header message;
        try {
            message = Header.parser().parseFrom(buffer, 0, length);
        } catch (InvalidProtocolBufferException e) {
            throw corrupt("Header");
        }
        this.header = HeaderMessages.toHeader(message, version, source);
        this.validator = new EventValidator(header);
        this.batches = version == BinaryLayout.VERSION_BATCHES
                ? Optional.of(new EventBatchDecoder(source, validator)) : Optional.empty();
    }

    @Override
    public TraceHeader header() {
        return header;
    }

    @Override
    public String source() {
        return source;
    }

    /**
     * Whether an event is left, reading the next batch when this one is used up. The problem that
     * stopped the file, once the events before it are out, is thrown here (and again on every call).
     * Written out rather than on Guava's AbstractIterator: this and {@link #next()} run once per
     * event, and the decode is held to a few tens of nanoseconds per event (docs/performance.md).
     * Both stay within the launcher's inlining limit (-XX:FreqInlineSize=70 bytecodes) so that C2
     * inlines them into the caller's loop; everything else is in {@link #nextBatch()}.
     */
    @Override
    public boolean hasNext() {
        return at < count || nextBatch();
    }

    @Override
    public TraceEvent next() {
        if (at >= count && !nextBatch()) {
            throw noMoreEvents();
        }
        // not cleared once handed out: the next batch overwrites it. Clearing it was a store per
        // event, 0.9 ms of a 52 ms decode of the bench's trace (docs/performance.md); what it kept
        // alive for is one batch of events the caller already has (4,096 as the writer makes them)
        return events[at++];
    }

    /**
     * Reads the next batch once this one is used up: whether it has an event; the problem that
     * stopped the file once the events before it are out.
     */
    private boolean nextBatch() {
        if (failure == null && !ended) {
            eventsBefore += count;
            if (batches.isPresent()) {
                readEventBatch(batches.get());
            } else {
                readBatch();
            }
        }
        if (at < count) {
            return true;
        }
        if (failure != null) {
            throw failure;
        }
        return false;
    }

    private NoSuchElementException noMoreEvents() {
        return new NoSuchElementException(source + ": no more events");
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads and decodes the next {@code EventBatch} record (version 2); an empty batch is read
     * past, so that {@link #nextBatch()} finds events or the end.
     */
    private void readEventBatch(EventBatchDecoder decoder) {
        at = 0;
        count = 0;
        try {
            while (count == 0 && failure == null) {
                int length = readLength(BinaryLayout.MAX_BATCH_BYTES);
                if (length < 0) {
                    ended = true;
                    return;
                }
                readRecord(length);
                EventBatchDecoder.Batch batch = decoder.decode(buffer, length, record, eventsBefore + 1);
                events = batch.events();
                count = batch.count();
                failure = batch.failure().orElse(null);
            }
        } catch (TraceInputException e) {
            failure = e;
        }
    }

    /**
     * Reads and decodes up to {@value #BATCH_EVENTS} version 1 records; stops early at the end of
     * the file or a bad record.
     */
    private void readBatch() {
        int parsed = 0;
        try {
            while (parsed < BATCH_EVENTS) {
                int length = readLength(BinaryLayout.MAX_EVENT_BYTES);
                if (length < 0) {
                    ended = true;
                    break;
                }
                readRecord(length);
                try {
                    messages[parsed] = Event.parser().parseFrom(buffer, 0, length);
                } catch (InvalidProtocolBufferException e) {
                    throw corrupt("Event");
                }
                recordOf[parsed++] = record;
            }
        } catch (RuntimeException e) {
            failure = e; // after the events parsed before it
        }
        int made = 0;
        try {
            for (; made < parsed; made++) {
                TraceEvent event = EventMessages.toEvent(messages[made], source, recordOf[made]);
                validator.check(event, source, Unit.RECORD, recordOf[made]);
                events[made] = event;
            }
        } catch (TraceInputException e) {
            failure = e; // an earlier record than any failure of the parsing pass
        }
        Arrays.fill(messages, 0, parsed, null);
        count = made;
        at = 0;
    }

    private int readPreamble() {
        byte[] preamble = new byte[BinaryLayout.PREAMBLE_BYTES];
        int got = readFully(preamble, preamble.length, 0);
        if (got < preamble.length) {
            throw TraceInputException.ofFile(source, got == 0 ? "empty file, not a binary trace"
                    : "truncated in the preamble (" + got + " of " + preamble.length + " bytes)");
        }
        for (int i = 0; i < BinaryLayout.MAGIC.length; i++) {
            if (preamble[i] != BinaryLayout.MAGIC[i]) {
                throw TraceInputException.ofFile(source, "not an mmutrace binary trace (bad magic)");
            }
        }
        long version = (preamble[8] & 0xffL) | (preamble[9] & 0xffL) << 8 | (preamble[10] & 0xffL) << 16
                | (preamble[11] & 0xffL) << 24;
        if (version != BinaryLayout.VERSION_EVENTS && version != BinaryLayout.VERSION_BATCHES) {
            throw new TraceInputException(source, Unit.FILE, 0, "format_version", "unknown format version "
                    + version + " (this build reads " + BinaryLayout.VERSION_EVENTS + " and "
                    + BinaryLayout.VERSION_BATCHES + ")");
        }
        return (int) version;
    }

    /**
     * The varint length of the next record, or -1 at a clean end of file (no byte of a next
     * record). Advances {@link #record}.
     */
    private int readLength(int max) {
        int first = read(record + 1);
        if (first < 0) {
            return -1;
        }
        record++;
        long length = first & 0x7f;
        int shift = 7;
        int b = first;
        while ((b & 0x80) != 0) {
            b = read(record);
            if (b < 0) {
                throw truncated("inside the record's length");
            }
            if (shift > 28) {
                throw TraceInputException.atRecord(source, record, TraceInputException.NO_FIELD,
                        "corrupt length (a varint longer than 5 bytes)");
            }
            length |= (long) (b & 0x7f) << shift;
            shift += 7;
        }
        if (length > max) {
            throw TraceInputException.atRecord(source, record, TraceInputException.NO_FIELD,
                    "corrupt length " + length + " (" + recordKind() + " is at most " + max + " bytes)");
        }
        return (int) length;
    }

    private String recordKind() {
        return record == 0 ? "a header" : batches.isPresent() ? "a batch" : "an event";
    }

    private void readRecord(int length) {
        if (buffer.length < length) {
            buffer = new byte[Math.max(length, buffer.length * 2)];
        }
        int got = readFully(buffer, length, record);
        if (got < length) {
            throw truncated(got + " bytes into a " + length + "-byte record");
        }
    }

    /**
     * What a failed read at record {@code at} is: a gzip stream cut short or corrupt is bad input,
     * named by record; any other I/O error is the machine's, not the file's.
     */
    private RuntimeException readFailure(long at, IOException e) {
        if (e instanceof EOFException eof) {
            return gzipEndsEarly(at, eof);
        }
        if (e instanceof ZipException) {
            return TraceInputException.atRecord(source, at, TraceInputException.NO_FIELD,
                    "corrupt gzip data (" + e.getMessage() + ")");
        }
        return new UncheckedIOException(e);
    }

    private int read(long at) {
        try {
            return in.read();
        } catch (IOException e) {
            throw readFailure(at, e);
        }
    }

    private int readFully(byte[] into, int length, long at) {
        int got = 0;
        try {
            while (got < length) {
                int n = in.read(into, got, length - got);
                if (n < 0) {
                    break;
                }
                got += n;
            }
        } catch (IOException e) {
            throw readFailure(at, e);
        }
        return got;
    }

    /**
     * A gzip stream that stops before its end marker: even when every record so far was whole,
     * what followed is lost, so this is a truncated file, never a clean end.
     */
    private TraceInputException gzipEndsEarly(long at, EOFException e) {
        return TraceInputException.atRecord(source, at, TraceInputException.NO_FIELD,
                "truncated: the gzip data ends early");
    }

    private TraceInputException truncated(String where) {
        return TraceInputException.atRecord(source, record, TraceInputException.NO_FIELD,
                "truncated: the file ends " + where);
    }

    private TraceInputException corrupt(String message) {
        return TraceInputException.atRecord(source, record, TraceInputException.NO_FIELD,
                "corrupt record (not a valid " + message + " message)");
    }
}
