package dev.mmutrace.trace.io;

import dev.mmutrace.trace.TraceInputException;
import java.nio.charset.StandardCharsets;

/**
 * The framing of a binary trace around its protobuf messages: 8 bytes of magic, the format
 * version as a little-endian uint32, then records, each a varint length and that many bytes.
 * Version 1 holds one {@code Event} per record; version 2, the one written today, an
 * {@code EventBatch} of up to {@link #BATCH_EVENTS} events per record.
 */
final class BinaryLayout {
    static final byte[] MAGIC = "MMUTRACE".getBytes(StandardCharsets.US_ASCII);
    static final int PREAMBLE_BYTES = MAGIC.length + 4;

    static final int VERSION_EVENTS = 1;
    static final int VERSION_BATCHES = 2;

    /**
     * Events per batch the writer emits. Deltas restart with each batch, and 4,096 events make
     * the first values' full width a fraction of a percent of the batch while a batch's columns
     * stay small enough (~100 KiB on the generator's workloads) to sit in the CPU's caches as
     * they are decoded.
     */
    static final int BATCH_EVENTS = 4096;

    /**
     * The most events and bytes a reader accepts in one batch: well above what the writer emits
     * (an event takes at most ~90 bytes), low enough that a corrupt length or count shows as one
     * before it costs a reader much memory.
     */
    static final int MAX_BATCH_EVENTS = 65_536;
    static final int MAX_BATCH_BYTES = 8 * 1024 * 1024;

    /**
     * The largest record each reader accepts. An event message is under 100 bytes today; 64 KiB
     * leaves room for later fields while a corrupt length still shows as one. A header holds the
     * p2m table (up to ~20 bytes a frame), hence its larger bound.
     */
    static final int MAX_EVENT_BYTES = 64 * 1024;
    static final int MAX_HEADER_BYTES = 512 * 1024 * 1024;

    private BinaryLayout() {
    }

    /**
     * {@code problem}, found at an event of a batch, with the event named: the record is the
     * batch, and a batch holds thousands of events. {@code traceEvent} counts the trace's events
     * from 1, as version 1's records do; {@code index} is the event's place in its batch from 0.
     */
    static TraceInputException atBatchEvent(TraceInputException problem, long traceEvent, int index) {
        return TraceInputException.atRecord(problem.source(), problem.position(), problem.field(),
                "trace event " + traceEvent + " (event " + (index + 1) + " of this batch): " + problem.problem());
    }

    static byte[] preamble(int version) {
        byte[] p = new byte[PREAMBLE_BYTES];
        System.arraycopy(MAGIC, 0, p, 0, MAGIC.length);
        for (int i = 0; i < 4; i++) {
            p[MAGIC.length + i] = (byte) (version >>> (8 * i));
        }
        return p;
    }
}
