package dev.mmutrace.trace.io;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.AllocPt;
import dev.mmutrace.trace.EventType;
import dev.mmutrace.trace.EventValidator;
import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.LazyMmu;
import dev.mmutrace.trace.PageFault;
import dev.mmutrace.trace.Pin;
import dev.mmutrace.trace.PtepModifyProt;
import dev.mmutrace.trace.ReleasePt;
import dev.mmutrace.trace.SetPgd;
import dev.mmutrace.trace.SetPmd;
import dev.mmutrace.trace.SetPte;
import dev.mmutrace.trace.SetPteAt;
import dev.mmutrace.trace.SetPud;
import dev.mmutrace.trace.SetStack;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.TraceInputException.Unit;
import dev.mmutrace.trace.Unpin;
import dev.mmutrace.trace.WriteCr3;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Decodes one {@code EventBatch} record into its events, in three steps: the wire into one
 * primitive array per column (deltas and the +1 of optional fields undone on the way), a check
 * that every column holds exactly as many values as the batch's events take from it, then the
 * events, each checked against the header as every reader checks them.
 *
 * <p>The wire is read with protobuf's own {@link CodedInputStream} rather than the generated
 * {@code EventBatch} parser: that one would copy every column into a list of its own per batch
 * before a single event is made; this reads each value once, into arrays reused from batch to
 * batch. Both spellings protobuf allows for a repeated number (packed and one per tag) are read.
 */
final class EventBatchDecoder {
    /** The events a batch decoded to, then the problem that stopped it, if one did. */
    record Batch(TraceEvent[] events, int count, Optional<TraceInputException> failure) {
    }

    /** A decoded timestamp outside 0..2^63-1; -1 would read as "not recorded", so this stands for them all. */
    private static final long BAD_TIMESTAMP = Long.MIN_VALUE;

    // values() copies its array on every call
    private static final WriteCr3.Root[] ROOTS = WriteCr3.Root.values();
    private static final FlushTlb.Scope[] SCOPES = FlushTlb.Scope.values();
    private static final LazyMmu.Phase[] PHASES = LazyMmu.Phase.values();
    private static final Access.Kind[] ACCESS_KINDS = Access.Kind.values();

    private final String source;
    private final EventValidator validator;
    private final ColumnValues[] columns = new ColumnValues[BatchColumn.values().length];
    private final int[] kindCounts = new int[EventType.values().length];
    /** The columns the events take their fields from, each named once rather than looked up per value. */
    private final ColumnValues entryGpa;
    private final ColumnValues value;
    private final ColumnValues mm;
    private final ColumnValues vaddr;
    private final ColumnValues userEntryGpa;
    private final ColumnValues pgd;
    private final ColumnValues errorCode;
    private final ColumnValues ip;
    private final ColumnValues tableGpa;
    private final ColumnValues level;
    private final ColumnValues pfn;
    private final ColumnValues pinned;
    private final ColumnValues flushVaddr;
    private final ColumnValues vaddrEnd;
    private final ColumnValues cpus;
    private final ColumnValues cpuCount;
    private final ColumnValues flushMm;
    private final ColumnValues pages;
    private final ColumnValues user;
    private final ColumnValues root;
    private final ColumnValues scope;
    private final ColumnValues phase;
    private final ColumnValues accessKind;

    EventBatchDecoder(String source, EventValidator validator) {
        this.source = source;
        this.validator = validator;
        for (int i = 0; i < columns.length; i++) {
            columns[i] = new ColumnValues();
        }
        entryGpa = column(BatchColumn.ENTRY_GPA);
        value = column(BatchColumn.VALUE);
        mm = column(BatchColumn.MM);
        vaddr = column(BatchColumn.VADDR);
        userEntryGpa = column(BatchColumn.USER_ENTRY_GPA);
        pgd = column(BatchColumn.PGD);
        errorCode = column(BatchColumn.ERROR_CODE);
        ip = column(BatchColumn.IP);
        tableGpa = column(BatchColumn.TABLE_GPA);
        level = column(BatchColumn.LEVEL);
        pfn = column(BatchColumn.PFN);
        pinned = column(BatchColumn.PINNED);
        flushVaddr = column(BatchColumn.FLUSH_VADDR);
        vaddrEnd = column(BatchColumn.VADDR_END);
        cpus = column(BatchColumn.CPUS);
        cpuCount = column(BatchColumn.CPU_COUNT);
        flushMm = column(BatchColumn.FLUSH_MM);
        pages = column(BatchColumn.PAGES);
        user = column(BatchColumn.USER);
        root = column(BatchColumn.ROOT);
        scope = column(BatchColumn.SCOPE);
        phase = column(BatchColumn.PHASE);
        accessKind = column(BatchColumn.ACCESS_KIND);
    }

    /**
     * The events of the batch in {@code buffer[0, length)}, record {@code record} of the file,
     * whose first event is the trace's event {@code firstEvent} (counted from 1). A problem with
     * the batch as a whole (a record that does not parse, columns that disagree) leaves it no
     * events; a problem with one event leaves the events before it.
     */
    Batch decode(byte[] buffer, int length, long record, long firstEvent) {
        for (ColumnValues c : columns) {
            c.clear();
        }
        int count;
        try {
            readColumns(buffer, length, record);
            count = checkLengths(record, firstEvent);
        } catch (TraceInputException e) {
            return new Batch(new TraceEvent[0], 0, Optional.of(e));
        }
        TraceEvent[] events = new TraceEvent[count];
        ColumnValues kinds = column(BatchColumn.KIND);
        ColumnValues cpus = column(BatchColumn.CPU);
        ColumnValues timestamps = column(BatchColumn.TIMESTAMP);
        boolean timed = timestamps.size() > 0;
        for (int i = 0; i < count; i++) {
            try {
                long ts = timed ? timestamps.get(i) : TraceEvent.NO_TIMESTAMP;
                if (ts == BAD_TIMESTAMP) {
                    throw TraceInputException.atRecord(source, record, "timestamp_ns",
                            "the deltas leave the range 0..2^63-1");
                }
                TraceEvent e = event(BatchColumn.kindOf(kinds.get(i)), uint32(BatchColumn.CPU, cpus.get(i)), ts,
                        record);
                validator.check(e, source, Unit.RECORD, record);
                events[i] = e;
            } catch (IllegalArgumentException refusal) {
                TraceInputException e = EventValidator.rejection(refusal, source, Unit.RECORD, record);
                return new Batch(events, i, Optional.of(BinaryLayout.atBatchEvent(e, firstEvent + i, i)));
            } catch (TraceInputException e) {
                return new Batch(events, i, Optional.of(BinaryLayout.atBatchEvent(e, firstEvent + i, i)));
            }
        }
        return new Batch(events, count, Optional.empty());
    }

    private void readColumns(byte[] buffer, int length, long record) {
        CodedInputStream in = CodedInputStream.newInstance(buffer, 0, length);
        boolean varintValues = false;
        boolean fixedValues = false;
        try {
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    break;
                }
                int number = WireFormat.getTagFieldNumber(tag);
                int wireType = WireFormat.getTagWireType(tag);
                if (number == BatchColumn.VALUE_FIXED_FIELD) {
                    fixedValues = true;
                    readFixed(in, wireType, record);
                    continue;
                }
                BatchColumn c = BatchColumn.byField(number);
                if (c == null) {
                    throw TraceInputException.atRecord(source, record, TraceInputException.NO_FIELD,
                            "unknown column (field number " + number + " of EventBatch; this build reads format"
                                    + " versions 1 and 2)");
                }
                varintValues |= c == BatchColumn.VALUE;
                readVarints(in, buffer, length, wireType, c, record);
            }
        } catch (InvalidProtocolBufferException e) {
            throw corrupt(record);
        } catch (IOException e) {
            throw new AssertionError("reading a byte array", e);
        }
        if (varintValues && fixedValues) {
            throw TraceInputException.atRecord(source, record, "value",
                    "the batch fills both spellings of the column (value and value_fixed)");
        }
    }

    private void readVarints(CodedInputStream in, byte[] buffer, int length, int wireType, BatchColumn c,
            long record) throws IOException {
        ColumnValues values = column(c);
        int first = values.size();
        if (wireType == WireFormat.WIRETYPE_VARINT) {
            values.add(in.readRawVarint64());
        } else if (wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int bytes = in.readRawVarint32();
            int from = in.getTotalBytesRead();
            if (bytes < 0 || bytes > length - from) {
                throw corrupt(record);
            }
            unpackVarints(buffer, from, from + bytes, values, record);
            in.skipRawBytes(bytes);
        } else {
            throw corrupt(record);
        }
        undoCoding(values, first, c);
    }

    /**
     * The packed varints in {@code buffer[from, to)} appended to {@code values} as they stand on
     * the wire. Decoded here rather than one call to protobuf's reader each: a batch is mostly
     * one- and two-byte varints, and this loop is the decoder's hottest.
     */
    private void unpackVarints(byte[] buffer, int from, int to, ColumnValues values, long record) {
        long[] out = values.reserve(to - from); // a varint takes at least one byte
        int n = values.size();
        int at = from;
        while (at < to) {
            long v = buffer[at++];
            if (v < 0) {
                v &= 0x7f;
                for (int shift = 7;; shift += 7) {
                    if (at == to || shift > 63) {
                        throw corrupt(record); // runs past the column, or longer than 10 bytes
                    }
                    byte b = buffer[at++];
                    v |= (long) (b & 0x7f) << shift;
                    if (b >= 0) {
                        break;
                    }
                }
            }
            out[n++] = v;
        }
        values.grownTo(n);
    }

    /** Turns the wire values from {@code first} on into the events' values, as the column's coding says. */
    private static void undoCoding(ColumnValues values, int first, BatchColumn c) {
        // a writer may split a repeated field into pieces: deltas run on across them
        long previous = first == 0 ? 0 : lastRecorded(values, first, c);
        long[] v = values.reserve(0);
        int size = values.size();
        switch (c.coding()) {
            case PLAIN:
                break;
            case DELTA:
                for (int i = first; i < size; i++) {
                    previous += CodedInputStream.decodeZigZag64(v[i]);
                    v[i] = previous;
                }
                break;
            case PLUS_ONE:
                for (int i = first; i < size; i++) {
                    v[i] -= 1; // 0, absent, becomes NO_ADDRESS (-1)
                }
                break;
            case TIMESTAMP:
                for (int i = first; i < size; i++) {
                    if (v[i] == 0) {
                        v[i] = TraceEvent.NO_TIMESTAMP;
                    } else {
                        previous += CodedInputStream.decodeZigZag64(v[i] - 1);
                        v[i] = previous < 0 ? BAD_TIMESTAMP : previous;
                    }
                }
                break;
            default:
                throw new AssertionError(c.coding());
        }
    }

    /**
     * Where a delta column continues from when the batch spells it in more than one piece: its
     * last value, or for timestamps the last one recorded.
     */
    private static long lastRecorded(ColumnValues values, int end, BatchColumn c) {
        for (int i = end - 1; i >= 0; i--) {
            long v = values.get(i);
            if (c.coding() != BatchColumn.Coding.TIMESTAMP || v != TraceEvent.NO_TIMESTAMP) {
                return v;
            }
        }
        return 0;
    }

    private void readFixed(CodedInputStream in, int wireType, long record) throws IOException {
        ColumnValues values = column(BatchColumn.VALUE);
        if (wireType == WireFormat.WIRETYPE_FIXED64) {
            values.add(in.readRawLittleEndian64());
            return;
        }
        if (wireType != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            throw corrupt(record);
        }
        int bytes = in.readRawVarint32();
        if (bytes % 8 != 0) {
            throw corrupt(record);
        }
        int limit = in.pushLimit(bytes);
        while (in.getBytesUntilLimit() > 0) {
            values.add(in.readRawLittleEndian64());
        }
        in.popLimit(limit);
    }

    /**
     * The batch's event count, after checking that cpu and timestamps have one value per event
     * (timestamps: or none), every kind is known, and every other column holds exactly as many
     * values as its events take.
     */
    private int checkLengths(long record, long firstEvent) {
        ColumnValues kinds = column(BatchColumn.KIND);
        int count = kinds.size();
        if (count > BinaryLayout.MAX_BATCH_EVENTS) {
            throw TraceInputException.atRecord(source, record, "event", count
                    + " events, more than a batch may hold (" + BinaryLayout.MAX_BATCH_EVENTS + ")");
        }
        perEvent(BatchColumn.CPU, count, record, "");
        int timestamps = column(BatchColumn.TIMESTAMP).size();
        if (timestamps != 0) {
            perEvent(BatchColumn.TIMESTAMP, count, record, " (one per event, or none)");
        }
        Arrays.fill(kindCounts, 0);
        for (int i = 0; i < count; i++) {
            EventType type = BatchColumn.kindOf(kinds.get(i));
            if (type == null) {
                TraceInputException e = TraceInputException.atRecord(source, record, "event",
                        "unknown event kind " + Long.toUnsignedString(kinds.get(i))
                                + " (this build reads format versions 1 and 2)");
                throw BinaryLayout.atBatchEvent(e, firstEvent + i, i);
            }
            kindCounts[type.ordinal()]++;
        }
        int[] needed = new int[columns.length];
        for (EventType t : EventType.values()) {
            for (BatchColumn c : BatchColumn.of(t)) {
                needed[c.ordinal()] += kindCounts[t.ordinal()];
            }
        }
        for (BatchColumn c : BatchColumn.values()) {
            if (c == BatchColumn.KIND || c == BatchColumn.CPU || c == BatchColumn.TIMESTAMP) {
                continue;
            }
            int has = column(c).size();
            if (has != needed[c.ordinal()]) {
                throw TraceInputException.atRecord(source, record, c.field(), "the " + c.name().toLowerCase(Locale.ROOT)
                        + " column holds " + has + " values but the batch's events take " + needed[c.ordinal()]);
            }
        }
        return count;
    }

    private void perEvent(BatchColumn c, int count, long record, String rule) {
        int has = column(c).size();
        if (has != count) {
            throw TraceInputException.atRecord(source, record, c.field(),
                    "the column holds " + has + " values for the batch's " + count + " events" + rule);
        }
    }

    private TraceEvent event(EventType type, int cpu, long ts, long record) {
        switch (type) {
            case SET_PTE:
                return new SetPte(cpu, ts, entryGpa.next(), value.next());
            case SET_PTE_AT:
                return new SetPteAt(cpu, ts, mm.next(), vaddr.next(), entryGpa.next(), value.next());
            case PTEP_MODIFY_PROT:
                return new PtepModifyProt(cpu, ts, mm.next(), vaddr.next(), entryGpa.next(), value.next());
            case SET_PMD:
                return new SetPmd(cpu, ts, entryGpa.next(), value.next());
            case SET_PUD:
                return new SetPud(cpu, ts, entryGpa.next(), value.next());
            case SET_PGD:
                return new SetPgd(cpu, ts, entryGpa.next(), value.next(), userEntryGpa.next());
            case WRITE_CR3:
                return new WriteCr3(cpu, ts, pgd.next(),
                        ROOTS[wireEnum(BatchColumn.ROOT, root, 2, record)]);
            case PAGE_FAULT:
                return new PageFault(cpu, ts, vaddr.next(), uint32(BatchColumn.ERROR_CODE, errorCode.next()),
                        ip.next());
            case PIN:
                return new Pin(cpu, ts, tableGpa.next(), uint32(BatchColumn.LEVEL, level.next()));
            case UNPIN:
                return new Unpin(cpu, ts, tableGpa.next(), uint32(BatchColumn.LEVEL, level.next()));
            case ALLOC_PT:
                return new AllocPt(cpu, ts, pfn.next(), uint32(BatchColumn.LEVEL, level.next()),
                        pinned.next() != 0);
            case RELEASE_PT:
                return new ReleasePt(cpu, ts, pfn.next(), uint32(BatchColumn.LEVEL, level.next()),
                        pinned.next() != 0);
            case FLUSH_TLB:
                return new FlushTlb(cpu, ts, SCOPES[wireEnum(BatchColumn.SCOPE, scope, 4, record)],
                        flushVaddr.next(), vaddrEnd.next(), cpus.next(),
                        uint32(BatchColumn.CPU_COUNT, cpuCount.next()), flushMm.next());
            case LAZY_MMU:
                return new LazyMmu(cpu, ts, PHASES[wireEnum(BatchColumn.PHASE, phase, 2, record)]);
            case SET_STACK:
                return new SetStack(cpu, ts, vaddr.next(), uint32(BatchColumn.PAGES, pages.next()));
            case ACCESS:
                return new Access(cpu, ts, vaddr.next(),
                        ACCESS_KINDS[wireEnum(BatchColumn.ACCESS_KIND, accessKind, 3, record)],
                        user.next() != 0);
            default:
                throw new AssertionError(type);
        }
    }

    private int wireEnum(BatchColumn c, ColumnValues values, int count, long record) {
        long number = values.next();
        if (number < 0 || number > count) {
            throw TraceInputException.atRecord(source, record, c.field(),
                    "unknown value " + Long.toUnsignedString(number));
        }
        return EventMessages.wireEnum((int) number, count, c.field(), source, record);
    }

    /** A uint32 column's value; more than 31 bits is no count, level or vCPU any event can have. */
    private static int uint32(BatchColumn c, long value) {
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(c.field() + " " + Long.toUnsignedString(value) + " is out of range");
        }
        return (int) value;
    }

    private ColumnValues column(BatchColumn c) {
        return columns[c.ordinal()];
    }

    private TraceInputException corrupt(long record) {
        return TraceInputException.atRecord(source, record, TraceInputException.NO_FIELD,
                "corrupt record (not a valid EventBatch message)");
    }
}
