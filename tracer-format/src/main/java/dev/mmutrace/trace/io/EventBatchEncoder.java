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
 * goes out as the record: every column is a packed field, coded as {@link BatchColumn.Coding}
 * says, with the varints and fixed64s of protobuf's wire format, and the entry values take
 * whichever of their two spellings is smaller for the batch.
 */
final class EventBatchEncoder {
    private static final BatchColumn[] COLUMNS = BatchColumn.values();
    private static final int MAX_VARINT = 10;
    private final ColumnValues[] columns = new ColumnValues[COLUMNS.length];
    /** One column's values as the wire holds them, worked out as it is written. */
    private long[] wire = new long[BinaryLayout.BATCH_EVENTS];
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
        length = 0;
        for (BatchColumn c : COLUMNS) {
            ColumnValues values = columns[c.ordinal()];
            if (values.size() > 0 && (c != BatchColumn.TIMESTAMP || timed > 0)) {
                // a column without values, or timestamps of which the batch has none, is left out
                writeColumn(c, values.array(), values.size());
            }
        }
        out.writeUInt32NoTag(length);
        out.writeRawBytes(bytes, 0, length);
        for (ColumnValues c : columns) {
            c.clear();
        }
        timed = 0;
    }

    /**
     * Appends column {@code c}'s packed field to the record: its values (the first {@code n} of
     * {@code values}) coded for the wire, as varints, or as fixed64 for the entry values when
     * that is smaller. Each step is a small method with one plain loop, which the JIT compiles
     * quickly (one method holding them all was compiled twice over, at a tenth of a second).
     */
    private void writeColumn(BatchColumn c, long[] values, int n) {
        if (wire.length < n) {
            wire = new long[Math.max(n, 2 * wire.length)];
        }
        long[] w = wire;
        switch (c.coding()) {
            case PLAIN:
                w = values; // the values are the wire's
                break;
            case DELTA:
                delta(values, n, w);
                break;
            case PLUS_ONE:
                plusOne(values, n, w);
                break;
            case TIMESTAMP:
                timestamps(values, n, w);
                break;
            default:
                throw new AssertionError(c.coding());
        }
        int varints = varintBytes(w, n);
        boolean fixed = c == BatchColumn.VALUE && 8 * n < varints;
        int payload = fixed ? 8 * n : varints;
        int field = fixed ? BatchColumn.VALUE_FIXED_FIELD : c.fieldNumber();
        ensureRoom(2 * MAX_VARINT + payload);
        varint((field << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED); // the tag
        varint(payload);
        if (fixed) {
            fixed64s(w, n);
        } else {
            varints(w, n);
        }
    }

    private static void delta(long[] values, int n, long[] w) {
        long previous = 0;
        for (int i = 0; i < n; i++) {
            w[i] = CodedOutputStream.encodeZigZag64(values[i] - previous);
            previous = values[i];
        }
    }

    private static void plusOne(long[] values, int n, long[] w) {
        for (int i = 0; i < n; i++) {
            w[i] = values[i] + 1;
        }
    }

    private static void timestamps(long[] values, int n, long[] w) {
        long previous = 0;
        for (int i = 0; i < n; i++) {
            long v = values[i];
            if (v == TraceEvent.NO_TIMESTAMP) {
                w[i] = 0;
            } else {
                w[i] = CodedOutputStream.encodeZigZag64(v - previous) + 1;
                previous = v;
            }
        }
    }

    private static int varintBytes(long[] w, int n) {
        int bytes = 0;
        for (int i = 0; i < n; i++) {
            bytes += CodedOutputStream.computeUInt64SizeNoTag(w[i]);
        }
        return bytes;
    }

    private void varints(long[] w, int n) {
        for (int i = 0; i < n; i++) {
            varint(w[i]);
        }
    }

    private void fixed64s(long[] w, int n) {
        for (int i = 0; i < n; i++) {
            fixed64(w[i]);
        }
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

    /** Eight bytes, least significant first, as protobuf writes a fixed64. */
    private void fixed64(long v) {
        for (int k = 0; k < Long.BYTES; k++) {
            bytes[length++] = (byte) (v >>> (8 * k));
        }
    }

    /** The column values of one event's fields, as {@link EventFields} hands them over. */
    private final class Columns implements EventFields.Sink {
        @Override
        public void event(EventType type, int cpu, long timestampNs) {
            add(BatchColumn.KIND, BatchColumn.kindNumber(type));
            add(BatchColumn.CPU, cpu);
            add(BatchColumn.TIMESTAMP, timestampNs);
            if (timestampNs != TraceEvent.NO_TIMESTAMP) {
                timed++;
            }
        }

        @Override
        public void mm(long mm) {
            add(BatchColumn.MM, mm);
        }

        @Override
        public void vaddr(long vaddr) {
            add(BatchColumn.VADDR, vaddr);
        }

        @Override
        public void entryGpa(long entryGpa) {
            add(BatchColumn.ENTRY_GPA, entryGpa);
        }

        @Override
        public void value(long value) {
            add(BatchColumn.VALUE, value);
        }

        @Override
        public void userEntryGpa(long userEntryGpa) {
            add(BatchColumn.USER_ENTRY_GPA, userEntryGpa);
        }

        @Override
        public void pgd(long pgd) {
            add(BatchColumn.PGD, pgd);
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
            add(BatchColumn.IP, ip);
        }

        @Override
        public void tableGpa(long tableGpa) {
            add(BatchColumn.TABLE_GPA, tableGpa);
        }

        @Override
        public void level(int level) {
            add(BatchColumn.LEVEL, level);
        }

        @Override
        public void pfn(long pfn) {
            add(BatchColumn.PFN, pfn);
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
            add(BatchColumn.FLUSH_VADDR, vaddr);
        }

        @Override
        public void vaddrEnd(long vaddrEnd) {
            add(BatchColumn.VADDR_END, vaddrEnd);
        }

        @Override
        public void targets(long cpus, int cpuCount) {
            add(BatchColumn.CPUS, cpus);
            add(BatchColumn.CPU_COUNT, cpuCount);
        }

        @Override
        public void flushMm(long mm) {
            add(BatchColumn.FLUSH_MM, mm);
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
            add(BatchColumn.LOST_EVENTS, lostEvents.isPresent() ? lostEvents.getAsLong() : BatchColumn.ABSENT);
        }
    }

    private void add(BatchColumn c, long value) {
        columns[c.ordinal()].add(value);
    }

    private ColumnValues column(BatchColumn c) {
        return columns[c.ordinal()];
    }
}
