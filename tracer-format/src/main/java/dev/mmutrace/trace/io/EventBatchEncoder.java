package dev.mmutrace.trace.io;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.EventType;
import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.LazyMmu;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.WriteCr3;
import java.io.IOException;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * Gathers events into the columns of one {@code EventBatch} and writes it as a record. The
 * message is written straight from the columns (no builder, no boxed lists), into one array that
 * goes out as the record: every column is a packed field of protobuf varints, its values coded as
 * {@link BatchColumn.Coding} says as the events are added, and the entry values take fixed64
 * instead when that is smaller for the batch.
 */
final class EventBatchEncoder {
    private static final BatchColumn[] COLUMNS = BatchColumn.values();
    private static final int MAX_VARINT = 10;
    /** Each column's values as the wire holds them: deltas, zigzags and +1s already applied. */
    private final ColumnValues[] columns = new ColumnValues[COLUMNS.length];
    /** Each {@link BatchColumn.Coding#DELTA} column's last value in the batch, 0 before its first. */
    private final long[] previous = new long[COLUMNS.length];
    /** The batch's last recorded timestamp, 0 before its first ({@link BatchColumn.Coding#TIMESTAMP}). */
    private long previousTimestamp;
    /** The record being written: {@link #length} bytes of packed fields. */
    private byte[] bytes = new byte[1 << 16];
    private int length;
    private int timed;
    private final Columns fields = new Columns();

    EventBatchEncoder() {
        for (int i = 0; i < columns.length; i++) {
            columns[i] = new ColumnValues();
        }
    }

    /** Events gathered since the last write. */
    int size() {
        return column(BatchColumn.KIND).size();
    }

    void add(TraceEvent event) {
        EventFields.visit(event, fields);
    }

    /** Writes the gathered events as one delimited {@code EventBatch} record and starts a new batch. */
    void writeTo(CodedOutputStream out) throws IOException {
        writeColumns();
        out.writeUInt32NoTag(length);
        out.writeRawBytes(bytes, 0, length);
        for (ColumnValues c : columns) {
            c.clear();
        }
        Arrays.fill(previous, 0);
        previousTimestamp = 0;
        timed = 0;
    }

    /**
     * Makes the record: each column's packed field, in column order; a column without values, or
     * timestamps of which the batch has none, is left out. The values were coded as they were
     * added, so a column takes one pass: its varints are written after room for the field's tag
     * and length, which are known only then, and moved up behind them. One call a batch, with the
     * loop over the columns inside, so that this method stays C1 code (a call per column made C2
     * compile it near the end of a 2M-event convert, with every column loop inlined: 40 ms of C2),
     * and the only loops over a column's values are {@link #varints} and {@link #fixed64s}
     * (coding them here, one loop per coding, had C2 compile each loop four times over, on-stack
     * replacement and whole method at two tiers; docs/performance.md).
     */
    private void writeColumns() {
        length = 0;
        for (BatchColumn c : COLUMNS) {
            ColumnValues values = columns[c.ordinal()];
            int n = values.size();
            if (n == 0 || (c == BatchColumn.TIMESTAMP && timed == 0)) {
                continue;
            }
            ensureRoom(2 * MAX_VARINT + MAX_VARINT * n);
            int payloadAt = length + 2 * MAX_VARINT;
            int payload = varints(bytes, payloadAt, values.array(), n) - payloadAt;
            int field = c.fieldNumber();
            if (c == BatchColumn.VALUE && 8 * n < payload) {
                payload = fixed64s(bytes, payloadAt, values.array(), n) - payloadAt;
                field = BatchColumn.VALUE_FIXED_FIELD;
            }
            varint((field << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED); // the tag
            varint(payload);
            System.arraycopy(bytes, payloadAt, bytes, length, payload);
            length += payload;
        }
    }

    /** The first {@code n} of {@code w} as base-128 varints from {@code at} on; returns where they end. */
    private static int varints(byte[] b, int at, long[] w, int n) {
        for (int i = 0; i < n; i++) {
            long v = w[i];
            while ((v & ~0x7fL) != 0) {
                b[at++] = (byte) ((v & 0x7f) | 0x80);
                v >>>= 7;
            }
            b[at++] = (byte) v;
        }
        return at;
    }

    /** The first {@code n} of {@code w} as fixed64s from {@code at} on; returns where they end. */
    private static int fixed64s(byte[] b, int at, long[] w, int n) {
        for (int i = 0; i < n; i++) {
            long v = w[i];
            for (int k = 0; k < Long.BYTES; k++) {
                b[at++] = (byte) (v >>> (8 * k));
            }
        }
        return at;
    }

    private void ensureRoom(int more) {
        if (bytes.length - length < more) {
            bytes = Arrays.copyOf(bytes, Math.max(length + more, 2 * bytes.length));
        }
    }

    /** A base-128 varint, as protobuf writes an unsigned 64-bit value. */
    private void varint(long v) {
        byte[] b = bytes;
        int at = length;
        while ((v & ~0x7fL) != 0) {
            b[at++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        b[at++] = (byte) v;
        length = at;
    }

    /** The column values of one event's fields, as {@link EventFields} hands them over. */
    private final class Columns implements EventFields.Sink {
        @Override
        public void event(EventType type, int cpu, long timestampNs) {
            add(BatchColumn.KIND, BatchColumn.kindNumber(type));
            add(BatchColumn.CPU, cpu);
            if (timestampNs == TraceEvent.NO_TIMESTAMP) {
                add(BatchColumn.TIMESTAMP, 0);
            } else {
                add(BatchColumn.TIMESTAMP, CodedOutputStream.encodeZigZag64(timestampNs - previousTimestamp) + 1);
                previousTimestamp = timestampNs;
                timed++;
            }
        }

        @Override
        public void mm(long mm) {
            delta(BatchColumn.MM, mm);
        }

        @Override
        public void vaddr(long vaddr) {
            delta(BatchColumn.VADDR, vaddr);
        }

        @Override
        public void entryGpa(long entryGpa) {
            delta(BatchColumn.ENTRY_GPA, entryGpa);
        }

        @Override
        public void value(long value) {
            add(BatchColumn.VALUE, value);
        }

        @Override
        public void userEntryGpa(long userEntryGpa) {
            plusOne(BatchColumn.USER_ENTRY_GPA, userEntryGpa);
        }

        @Override
        public void pgd(long pgd) {
            delta(BatchColumn.PGD, pgd);
        }

        @Override
        public void root(WriteCr3.Root root) {
            add(BatchColumn.ROOT, root.ordinal() + 1);
        }

        @Override
        public void errorCode(int errorCode) {
            add(BatchColumn.ERROR_CODE, errorCode);
        }

        @Override
        public void ip(long ip) {
            delta(BatchColumn.IP, ip);
        }

        @Override
        public void tableGpa(long tableGpa) {
            delta(BatchColumn.TABLE_GPA, tableGpa);
        }

        @Override
        public void level(int level) {
            add(BatchColumn.LEVEL, level);
        }

        @Override
        public void pfn(long pfn) {
            delta(BatchColumn.PFN, pfn);
        }

        @Override
        public void pinned(boolean pinned) {
            add(BatchColumn.PINNED, pinned ? 1 : 0);
        }

        @Override
        public void scope(FlushTlb.Scope scope) {
            add(BatchColumn.SCOPE, scope.ordinal() + 1);
        }

        @Override
        public void flushVaddr(long vaddr) {
            plusOne(BatchColumn.FLUSH_VADDR, vaddr);
        }

        @Override
        public void vaddrEnd(long vaddrEnd) {
            plusOne(BatchColumn.VADDR_END, vaddrEnd);
        }

        @Override
        public void targets(long cpus, int cpuCount) {
            add(BatchColumn.CPUS, cpus);
            add(BatchColumn.CPU_COUNT, cpuCount);
        }

        @Override
        public void flushMm(long mm) {
            plusOne(BatchColumn.FLUSH_MM, mm);
        }

        @Override
        public void phase(LazyMmu.Phase phase) {
            add(BatchColumn.PHASE, phase.ordinal() + 1);
        }

        @Override
        public void pages(int pages) {
            add(BatchColumn.PAGES, pages);
        }

        @Override
        public void accessKind(Access.Kind kind) {
            add(BatchColumn.ACCESS_KIND, kind.ordinal() + 1);
        }

        @Override
        public void user(boolean user) {
            add(BatchColumn.USER, user ? 1 : 0);
        }

        @Override
        public void lostEvents(OptionalLong lostEvents) {
            // +1 coded: absent (the tracer did not say how many) is 0 on the wire
            plusOne(BatchColumn.LOST_EVENTS, lostEvents.isPresent() ? lostEvents.getAsLong() : BatchColumn.ABSENT);
        }
    }

    /** A {@link BatchColumn.Coding#PLAIN} column's value: the wire's as it is. */
    private void add(BatchColumn c, long value) {
        columns[c.ordinal()].add(value);
    }

    /** A {@link BatchColumn.Coding#DELTA} column's value: the zigzag of its difference from the column's last. */
    private void delta(BatchColumn c, long value) {
        int i = c.ordinal();
        columns[i].add(CodedOutputStream.encodeZigZag64(value - previous[i]));
        previous[i] = value;
    }

    /** A {@link BatchColumn.Coding#PLUS_ONE} column's value, absent ({@link BatchColumn#ABSENT}) the wire's 0. */
    private void plusOne(BatchColumn c, long value) {
        columns[c.ordinal()].add(value + 1);
    }

    private ColumnValues column(BatchColumn c) {
        return columns[c.ordinal()];
    }
}
