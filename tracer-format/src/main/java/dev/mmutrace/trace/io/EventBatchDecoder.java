package dev.mmutrace.trace.io;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.AllocPt;
import dev.mmutrace.trace.EventType;
import dev.mmutrace.trace.EventValidator;
import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.Gap;
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
import dev.mmutrace.trace.proto.Event;
import java.io.IOException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Decodes one {@code EventBatch} record into its events, in four steps: the wire into one
 * primitive array per column ({@link PackedVarints}; then deltas and the +1 of optional fields
 * undone in a pass of their own), a check that every column holds exactly as many values as the
 * batch's events take from it, a check of each column the validator checks field by field, as a whole (the vCPUs, entry
 * gpas, values, top tables, addresses, levels, pfns: {@link EventValidator#column}), then the
 * events. When every column passes, only the events the validator checks across their fields
 * (flushes; cr3 loads outside 4level) are checked one by one; when one might not, every event is,
 * as before, so a bad batch fails at the same event with the same message either way.
 *
 * <p>The wire is read by hand rather than with the generated {@code EventBatch} parser: that one
 * would copy every column into a list of its own per batch before a single event is made; this
 * reads each value once, into arrays reused from batch to batch. Both spellings protobuf allows
 * for a repeated number (packed and one per tag) are read. Profiled, the varints and the making
 * of the event records take most of the time (docs/performance.md).
 */
final class EventBatchDecoder {
    /**
     * The events a batch decoded to, {@code events[0, count)}, then the problem that stopped it,
     * if one did. The array is the decoder's own, filled again by its next {@link #decode}: the
     * reader hands each event out before it asks for the next batch.
     */
    record Batch(TraceEvent[] events, int count, Optional<TraceInputException> failure) {
    }

    /** A decoded timestamp outside 0..2^63-1; -1 would read as "not recorded", so this stands for them all. */
    private static final long BAD_TIMESTAMP = Long.MIN_VALUE;

    // values() copies its array on every call
    private static final WriteCr3.Root[] ROOTS = WriteCr3.Root.values();
    private static final FlushTlb.Scope[] SCOPES = FlushTlb.Scope.values();
    private static final LazyMmu.Phase[] PHASES = LazyMmu.Phase.values();
    private static final Access.Kind[] ACCESS_KINDS = Access.Kind.values();

    /** The columns whose every value the validator checks alike, and the rule it checks them by. */
    private static final Map<BatchColumn, EventValidator.ColumnRule> RULES = new EnumMap<>(Map.ofEntries(
            Map.entry(BatchColumn.CPU, EventValidator.ColumnRule.CPU),
            Map.entry(BatchColumn.ENTRY_GPA, EventValidator.ColumnRule.ENTRY_GPA),
            Map.entry(BatchColumn.VALUE, EventValidator.ColumnRule.VALUE),
            Map.entry(BatchColumn.MM, EventValidator.ColumnRule.TOP_TABLE),
            Map.entry(BatchColumn.PGD, EventValidator.ColumnRule.TOP_TABLE),
            Map.entry(BatchColumn.TABLE_GPA, EventValidator.ColumnRule.TOP_TABLE),
            Map.entry(BatchColumn.VADDR, EventValidator.ColumnRule.VADDR),
            Map.entry(BatchColumn.IP, EventValidator.ColumnRule.VADDR),
            Map.entry(BatchColumn.USER_ENTRY_GPA, EventValidator.ColumnRule.USER_ENTRY_GPA),
            Map.entry(BatchColumn.LEVEL, EventValidator.ColumnRule.LEVEL),
            Map.entry(BatchColumn.PFN, EventValidator.ColumnRule.PFN)));
    private static final BatchColumn[] CHECKED_COLUMNS = RULES.keySet().toArray(BatchColumn[]::new);

    private final String source;
    private final EventValidator validator;
    /** By kind number: whether the validator checks such an event across its fields, so one by one. */
    private final boolean[] checkedAlone = new boolean[BatchColumn.KIND_NUMBERS];
    private final ColumnValues[] columns = new ColumnValues[BatchColumn.values().length];
    /**
     * The array each batch's events are made into, reused from batch to batch: a new one per
     * batch was 16 KiB more to allocate and clear for every 4,096 events (about 200 KiB of
     * records), on a path where allocating is a fair part of the time (docs/performance.md).
     */
    private TraceEvent[] events = new TraceEvent[BinaryLayout.BATCH_EVENTS];
    /** By kind number: how many of the batch's events are of that kind. */
    private final int[] numberCounts = new int[BatchColumn.KIND_NUMBERS];
    /**
     * The columns read a value at a time ({@link ColumnValues#next()}), each named once rather than
     * looked up per value; the columns several kinds share are read through cursors in {@link #events}.
     */
    private final ColumnValues userEntryGpa;
    private final ColumnValues pgd;
    private final ColumnValues errorCode;
    private final ColumnValues ip;
    private final ColumnValues flushVaddr;
    private final ColumnValues vaddrEnd;
    private final ColumnValues flushCpus;
    private final ColumnValues cpuCount;
    private final ColumnValues flushMm;
    private final ColumnValues pages;
    private final ColumnValues user;
    private final ColumnValues root;
    private final ColumnValues scope;
    private final ColumnValues phase;
    private final ColumnValues accessKind;
    private final ColumnValues lostEvents;

    EventBatchDecoder(String source, EventValidator validator) {
        this.source = source;
        this.validator = validator;
        for (EventType t : EventType.values()) {
            checkedAlone[BatchColumn.kindNumber(t)] = validator.checksAcrossFields(t);
        }
        for (int i = 0; i < columns.length; i++) {
            columns[i] = new ColumnValues();
        }
        userEntryGpa = column(BatchColumn.USER_ENTRY_GPA);
        pgd = column(BatchColumn.PGD);
        errorCode = column(BatchColumn.ERROR_CODE);
        ip = column(BatchColumn.IP);
        flushVaddr = column(BatchColumn.FLUSH_VADDR);
        vaddrEnd = column(BatchColumn.VADDR_END);
        flushCpus = column(BatchColumn.CPUS);
        cpuCount = column(BatchColumn.CPU_COUNT);
        flushMm = column(BatchColumn.FLUSH_MM);
        pages = column(BatchColumn.PAGES);
        user = column(BatchColumn.USER);
        root = column(BatchColumn.ROOT);
        scope = column(BatchColumn.SCOPE);
        phase = column(BatchColumn.PHASE);
        accessKind = column(BatchColumn.ACCESS_KIND);
        lostEvents = column(BatchColumn.LOST_EVENTS);
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
        return events(count, record, firstEvent);
    }

    /**
     * The batch's {@code count} events, made from the columns once they are read and their
     * lengths checked: a switch on each event's kind number, taking each field from its column.
     */
    private Batch events(int count, long record, long firstEvent) {
        if (events.length < count) {
            events = new TraceEvent[count];
        }
        TraceEvent[] events = this.events;
        long[] kinds = column(BatchColumn.KIND).reserve(0);
        long[] cpus = column(BatchColumn.CPU).reserve(0);
        long[] timestamps = column(BatchColumn.TIMESTAMP).reserve(0);
        boolean timed = column(BatchColumn.TIMESTAMP).size() > 0;
        // the usual batch passes column by column, and only events the validator checks across
        // their fields are checked one by one; any column that might not pass, and every event is
        boolean checkEach = !columnsPass(count);
        // The columns that more than one kind takes a value from are read through local cursors
        // rather than ColumnValues.next(), which loads the column's array and position from the
        // heap for every value. Two columns that the same kinds take a value from hold equally
        // many values (checkLengths) in the same order, so they share a cursor: entry gpa and
        // value (the six entry updates), pfn and pinned (alloc_pt, release_pt).
        long[] entryGpas = column(BatchColumn.ENTRY_GPA).reserve(0);
        long[] values = column(BatchColumn.VALUE).reserve(0);
        long[] mms = column(BatchColumn.MM).reserve(0);
        long[] vaddrs = column(BatchColumn.VADDR).reserve(0);
        long[] tableGpas = column(BatchColumn.TABLE_GPA).reserve(0);
        long[] levels = column(BatchColumn.LEVEL).reserve(0);
        long[] pfns = column(BatchColumn.PFN).reserve(0);
        long[] pinneds = column(BatchColumn.PINNED).reserve(0);
        int entryAt = 0;
        int mmAt = 0;
        int vaddrAt = 0;
        int tableAt = 0;
        int levelAt = 0;
        int pfnAt = 0;
        for (int i = 0; i < count; i++) {
            try {
                long ts = timed ? timestamps[i] : TraceEvent.NO_TIMESTAMP;
                if (ts == BAD_TIMESTAMP) {
                    throw TraceInputException.atRecord(source, record, "timestamp_ns",
                            "the deltas leave the range 0..2^63-1");
                }
                int kind = (int) kinds[i]; // a known kind: checkLengths saw to it
                int cpu = checkEach ? uint32(BatchColumn.CPU, cpus[i]) : (int) cpus[i];
                TraceEvent e;
                switch (kind) {
                    case Event.SET_PTE_FIELD_NUMBER:
                        e = new SetPte(cpu, ts, entryGpas[entryAt], values[entryAt]);
                        entryAt++;
                        break;
                    case Event.SET_PTE_AT_FIELD_NUMBER:
                        e = new SetPteAt(cpu, ts, mms[mmAt++], vaddrs[vaddrAt++], entryGpas[entryAt], values[entryAt]);
                        entryAt++;
                        break;
                    case Event.PTEP_MODIFY_PROT_FIELD_NUMBER:
                        e = new PtepModifyProt(cpu, ts, mms[mmAt++], vaddrs[vaddrAt++], entryGpas[entryAt],
                                values[entryAt]);
                        entryAt++;
                        break;
                    case Event.SET_PMD_FIELD_NUMBER:
                        e = new SetPmd(cpu, ts, entryGpas[entryAt], values[entryAt]);
                        entryAt++;
                        break;
                    case Event.SET_PUD_FIELD_NUMBER:
                        e = new SetPud(cpu, ts, entryGpas[entryAt], values[entryAt]);
                        entryAt++;
                        break;
                    case Event.SET_PGD_FIELD_NUMBER:
                        e = new SetPgd(cpu, ts, entryGpas[entryAt], values[entryAt], userEntryGpa.next());
                        entryAt++;
                        break;
                    case Event.PAGE_FAULT_FIELD_NUMBER:
                        e = new PageFault(cpu, ts, vaddrs[vaddrAt++], uint32(BatchColumn.ERROR_CODE, errorCode.next()),
                                ip.next());
                        break;
                    case Event.SET_STACK_FIELD_NUMBER:
                        e = new SetStack(cpu, ts, vaddrs[vaddrAt++], uint32(BatchColumn.PAGES, pages.next()));
                        break;
                    case Event.ACCESS_FIELD_NUMBER:
                        e = new Access(cpu, ts, vaddrs[vaddrAt++],
                                ACCESS_KINDS[wireEnum(BatchColumn.ACCESS_KIND, accessKind, 3, record)],
                                user.next() != 0);
                        break;
                    case Event.WRITE_CR3_FIELD_NUMBER:
                        e = new WriteCr3(cpu, ts, pgd.next(), ROOTS[wireEnum(BatchColumn.ROOT, root, 2, record)]);
                        break;
                    case Event.PIN_FIELD_NUMBER:
                        e = new Pin(cpu, ts, tableGpas[tableAt++], uint32(BatchColumn.LEVEL, levels[levelAt++]));
                        break;
                    case Event.UNPIN_FIELD_NUMBER:
                        e = new Unpin(cpu, ts, tableGpas[tableAt++], uint32(BatchColumn.LEVEL, levels[levelAt++]));
                        break;
                    case Event.ALLOC_PT_FIELD_NUMBER:
                        e = new AllocPt(cpu, ts, pfns[pfnAt], uint32(BatchColumn.LEVEL, levels[levelAt++]),
                                pinneds[pfnAt] != 0);
                        pfnAt++;
                        break;
                    case Event.RELEASE_PT_FIELD_NUMBER:
                        e = new ReleasePt(cpu, ts, pfns[pfnAt], uint32(BatchColumn.LEVEL, levels[levelAt++]),
                                pinneds[pfnAt] != 0);
                        pfnAt++;
                        break;
                    case Event.FLUSH_TLB_FIELD_NUMBER:
                        e = new FlushTlb(cpu, ts, SCOPES[wireEnum(BatchColumn.SCOPE, scope, 4, record)],
                                flushVaddr.next(), vaddrEnd.next(), flushCpus.next(),
                                uint32(BatchColumn.CPU_COUNT, cpuCount.next()), flushMm.next());
                        break;
                    case Event.LAZY_MMU_FIELD_NUMBER:
                        e = new LazyMmu(cpu, ts, PHASES[wireEnum(BatchColumn.PHASE, phase, 2, record)]);
                        break;
                    case Event.GAP_FIELD_NUMBER: {
                        long lost = lostEvents.next();
                        e = new Gap(cpu, ts, lost == BatchColumn.ABSENT ? OptionalLong.empty() : OptionalLong.of(lost));
                        break;
                    }
                    default:
                        throw new AssertionError(kind);
                }
                if (checkEach || checkedAlone[kind]) {
                    validator.check(e, source, Unit.RECORD, record);
                }
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

    /** True when every column the validator checks passes its check as a whole ({@link EventValidator#column}). */
    private boolean columnsPass(int count) {
        for (BatchColumn c : CHECKED_COLUMNS) {
            ColumnValues v = column(c);
            if (!validator.column(RULES.get(c), v.reserve(0), v.size())) {
                return false;
            }
        }
        return true;
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
        int from = in.getTotalBytesRead();
        int bytes;
        if (wireType == WireFormat.WIRETYPE_VARINT) {
            bytes = varintBytes(buffer, from, length, record);
        } else if (wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            bytes = in.readRawVarint32();
            from = in.getTotalBytesRead();
            if (bytes < 0 || bytes > length - from) {
                throw corrupt(record);
            }
        } else {
            throw corrupt(record);
        }
        // a writer may split a repeated field into pieces: deltas run on across them
        long previous = values.size() == 0 ? 0 : lastRecorded(values, values.size(), c);
        unpackVarints(buffer, from, from + bytes, values, c.coding(), previous, record);
        in.skipRawBytes(bytes);
    }

    /** The length of the one varint at {@code buffer[from]}, which must end before {@code length}. */
    private int varintBytes(byte[] buffer, int from, int length, long record) {
        for (int at = from; at < length && at - from < 10; at++) {
            if (buffer[at] >= 0) {
                return at - from + 1;
            }
        }
        throw corrupt(record);
    }

    /**
     * The varints in {@code buffer[from, to)} appended to {@code values} as the events hold them:
     * unpacked ({@link PackedVarints}), then the column's coding undone in one more pass over the
     * new values ({@code previous} is where a delta column continues from), a loop per coding.
     */
    private void unpackVarints(byte[] buffer, int from, int to, ColumnValues values, BatchColumn.Coding coding,
            long previous, long record) {
        long[] out = values.reserve(to - from); // a varint takes at least one byte
        int start = values.size();
        int end = PackedVarints.unpack(buffer, from, to, out, start);
        if (end == PackedVarints.CORRUPT) {
            throw corrupt(record);
        }
        switch (coding) {
            case PLAIN -> {
            }
            case DELTA -> undoDeltas(out, start, end, previous);
            case PLUS_ONE -> undoPlusOne(out, start, end);
            case TIMESTAMP -> undoTimestampDeltas(out, start, end, previous);
        }
        values.grownTo(end);
    }

    private static void undoDeltas(long[] values, int from, int to, long previous) {
        long v = previous;
        for (int i = from; i < to; i++) {
            long zigzag = values[i];
            v += (zigzag >>> 1) ^ -(zigzag & 1);
            values[i] = v;
        }
    }

    /** 0, absent, becomes NO_ADDRESS (-1). */
    private static void undoPlusOne(long[] values, int from, int to) {
        for (int i = from; i < to; i++) {
            values[i] -= 1;
        }
    }

    private static void undoTimestampDeltas(long[] values, int from, int to, long previous) {
        long last = previous;
        for (int i = from; i < to; i++) {
            long v = values[i];
            if (v == 0) {
                values[i] = TraceEvent.NO_TIMESTAMP;
            } else {
                last += ((v - 1) >>> 1) ^ -((v - 1) & 1);
                values[i] = last < 0 ? BAD_TIMESTAMP : last;
            }
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
        // counted by kind number; an event of a number no kind has is looked for only when one is counted
        long[] numbers = kinds.reserve(0);
        Arrays.fill(numberCounts, 0);
        for (int i = 0; i < count; i++) {
            long number = numbers[i];
            if (number < 0 || number >= BatchColumn.KIND_NUMBERS) {
                throw unknownKind(numbers, record, firstEvent);
            }
            numberCounts[(int) number]++;
        }
        int[] needed = new int[columns.length];
        for (int number = 0; number < BatchColumn.KIND_NUMBERS; number++) {
            if (numberCounts[number] == 0) {
                continue;
            }
            EventType type = BatchColumn.kindOf(number);
            if (type == null) {
                throw unknownKind(numbers, record, firstEvent);
            }
            for (BatchColumn c : BatchColumn.of(type)) {
                needed[c.ordinal()] += numberCounts[number];
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

    /** The batch's first event whose kind number no kind has: it stops the batch. */
    private TraceInputException unknownKind(long[] numbers, long record, long firstEvent) {
        int i = 0;
        while (BatchColumn.kindOf(numbers[i]) != null) {
            i++;
        }
        TraceInputException e = TraceInputException.atRecord(source, record, "event",
                "unknown event kind " + Long.toUnsignedString(numbers[i]) + " (this build reads format versions 1 and 2)");
        return BinaryLayout.atBatchEvent(e, firstEvent + i, i);
    }

    private void perEvent(BatchColumn c, int count, long record, String rule) {
        int has = column(c).size();
        if (has != count) {
            throw TraceInputException.atRecord(source, record, c.field(),
                    "the column holds " + has + " values for the batch's " + count + " events" + rule);
        }
    }

    /**
     * The enum constant's index for a wire enum column's next value (1..{@code count}; 0 is
     * "unspecified"). The refusal is built out of line, so that this stays within the launcher's
     * inlining limit (-XX:FreqInlineSize=70 bytecodes) at the cr3 loads and lazy-mode events.
     */
    private int wireEnum(BatchColumn c, ColumnValues values, int count, long record) {
        long number = values.next();
        if (number < 1 || number > count) {
            throw notWireEnum(c, number, record);
        }
        return (int) number - 1;
    }

    private TraceInputException notWireEnum(BatchColumn c, long number, long record) {
        return number == 0 ? EventMessages.unspecified(c.field(), source, record)
                : TraceInputException.atRecord(source, record, c.field(),
                        "unknown value " + Long.toUnsignedString(number));
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
