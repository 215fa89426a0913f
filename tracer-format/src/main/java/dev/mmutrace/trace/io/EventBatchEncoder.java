package dev.mmutrace.trace.io;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.LazyMmu;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.WriteCr3;
import java.io.IOException;
import java.util.OptionalLong;

/**
 * Gathers events into the columns of one {@code EventBatch} and writes it as a record. The
 * message is written straight from the columns with protobuf's own wire writer (no builder, no
 * boxed lists): every column is a packed field, coded as {@link BatchColumn.Coding} says, and the
 * entry values take whichever of their two spellings is smaller for the batch.
 */
final class EventBatchEncoder {
    private final ColumnValues[] columns = new ColumnValues[BatchColumn.values().length];
    /** Each column's values as the wire holds them, worked out when the batch is written. */
    private final ColumnValues[] wire = new ColumnValues[BatchColumn.values().length];
    private int timed;
    private final Columns fields = new Columns();

    EventBatchEncoder() {
        for (int i = 0; i < columns.length; i++) {
            columns[i] = new ColumnValues();
            wire[i] = new ColumnValues();
        }
    }

    /** Events gathered since the last write. */
    int size() {
        return column(BatchColumn.KIND).size();
    }

    void add(TraceEvent event) {
        column(BatchColumn.KIND).add(BatchColumn.kindNumber(event.type()));
        column(BatchColumn.CPU).add(event.cpu());
        column(BatchColumn.TIMESTAMP).add(event.timestampNs());
        if (event.timestampNs() != TraceEvent.NO_TIMESTAMP) {
            timed++;
        }
        EventFields.visit(event, fields);
    }

    /** Writes the gathered events as one delimited {@code EventBatch} record and starts a new batch. */
    void writeTo(CodedOutputStream out) throws IOException {
        int length = 0;
        for (BatchColumn c : BatchColumn.values()) {
            int payload = toWire(c);
            if (payload > 0) {
                length += CodedOutputStream.computeTagSize(wireField(c))
                        + CodedOutputStream.computeUInt32SizeNoTag(payload) + payload;
            }
        }
        out.writeUInt32NoTag(length);
        for (BatchColumn c : BatchColumn.values()) {
            ColumnValues w = wire[c.ordinal()];
            if (w.size() == 0) {
                continue;
            }
            boolean fixed = wireField(c) == BatchColumn.VALUE_FIXED_FIELD;
            out.writeTag(wireField(c), WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(fixed ? 8 * w.size() : varintBytes(w));
            for (int i = 0; i < w.size(); i++) {
                if (fixed) {
                    out.writeFixed64NoTag(w.get(i));
                } else {
                    out.writeUInt64NoTag(w.get(i));
                }
            }
        }
        for (int i = 0; i < columns.length; i++) {
            columns[i].clear();
            wire[i].clear();
        }
        timed = 0;
    }

    /** Works out column {@code c}'s wire values; returns their packed size in bytes (0: the column is left out). */
    private int toWire(BatchColumn c) {
        ColumnValues values = columns[c.ordinal()];
        ColumnValues w = wire[c.ordinal()];
        if (c == BatchColumn.TIMESTAMP && timed == 0) {
            return 0; // no event of the batch has a timestamp: the column is left empty
        }
        long previous = 0;
        for (int i = 0; i < values.size(); i++) {
            long v = values.get(i);
            switch (c.coding()) {
                case PLAIN:
                    w.add(v);
                    break;
                case DELTA:
                    w.add(CodedOutputStream.encodeZigZag64(v - previous));
                    previous = v;
                    break;
                case PLUS_ONE:
                    w.add(v + 1);
                    break;
                case TIMESTAMP:
                    if (v == TraceEvent.NO_TIMESTAMP) {
                        w.add(0);
                    } else {
                        w.add(CodedOutputStream.encodeZigZag64(v - previous) + 1);
                        previous = v;
                    }
                    break;
                default:
                    throw new AssertionError(c.coding());
            }
        }
        int varints = varintBytes(w);
        return c == BatchColumn.VALUE ? Math.min(varints, 8 * w.size()) : varints;
    }

    /** The field a column is written as: the entry values' smaller spelling, any other column's own. */
    private int wireField(BatchColumn c) {
        if (c == BatchColumn.VALUE) {
            ColumnValues w = wire[c.ordinal()];
            return 8 * w.size() < varintBytes(w) ? BatchColumn.VALUE_FIXED_FIELD : c.fieldNumber();
        }
        return c.fieldNumber();
    }

    private static int varintBytes(ColumnValues w) {
        int bytes = 0;
        for (int i = 0; i < w.size(); i++) {
            bytes += CodedOutputStream.computeUInt64SizeNoTag(w.get(i));
        }
        return bytes;
    }

    /** The column values of one event's fields, as {@link EventFields} hands them over. */
    private final class Columns implements EventFields.Sink {
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
