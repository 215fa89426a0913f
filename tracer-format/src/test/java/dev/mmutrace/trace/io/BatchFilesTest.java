package dev.mmutrace.trace.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.SetPgd;
import dev.mmutrace.trace.SetPte;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.WriteCr3;
import dev.mmutrace.trace.proto.EventBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bytes of version 2's batches against the .proto, worked out by hand. */
class BatchFilesTest {
    private static final TraceHeader TWO_LEVEL = TraceHeader.defaults(PagingMode.TWO_LEVEL, 2, 0x100);
    private static final TraceHeader FOUR_LEVEL = TraceHeader.defaults(PagingMode.FOUR_LEVEL, 2, 0x10000);

    @TempDir
    Path dir;

    /**
     * set_pte(cpu 0, t 1000, 0x1000 = 0x2063) and set_pte(cpu 1, t 1500, 0x1008 = 0x3063) as one
     * batch, column by column (field number << 3 | 2 for a packed field, then the byte length):
     * <pre>
     *   0a 02 0a 0a        kind: 10, 10 (set_pte is field 10 of Event's oneof)
     *   12 02 00 01        cpu: 0, 1
     *   1a 04 d1 0f e9 07  timestamp_ns: zigzag(1000) + 1 = 2001, zigzag(1500 - 1000) + 1 = 1001
     *   22 03 80 40 10     entry_gpa: zigzag(0x1000) = 0x2000, zigzag(0x1008 - 0x1000) = 16
     *   2a 04 e3 40 e3 60  value: 0x2063, 0x3063 as varints (4 bytes, fixed64 would take 16)
     * </pre>
     * 25 bytes, so the record is 19 (25) and those bytes.
     */
    @Test
    void aBatchIsTheBytesWorkedOutByHand() throws IOException {
        Path p = dir.resolve("b.mmtrace");
        RoundTripTest.write(p, TWO_LEVEL,
                List.of(new SetPte(0, 1000, 0x1000, 0x2063), new SetPte(1, 1500, 0x1008, 0x3063)));
        byte[] all = Files.readAllBytes(p);
        byte[] expected = bytes(0x19, 0x0a, 0x02, 0x0a, 0x0a, 0x12, 0x02, 0x00, 0x01, 0x1a, 0x04, 0xd1, 0x0f, 0xe9,
                0x07, 0x22, 0x03, 0x80, 0x40, 0x10, 0x2a, 0x04, 0xe3, 0x40, 0xe3, 0x60);
        assertThat(Arrays.copyOfRange(all, all.length - expected.length, all.length)).isEqualTo(expected);
        assertThat(all[8]).isEqualTo((byte) 2);
    }

    /**
     * Entry values with NX (bit 63) set take 10 bytes as varints, 8 as fixed64: a batch of them
     * goes in value_fixed. Values below 2^49 take at most 7 bytes as varints: those stay varints.
     * No event has a timestamp, so that column is left out.
     */
    @Test
    void entryValuesTakeTheSmallerSpelling() throws IOException {
        List<TraceEvent> nx = new ArrayList<>();
        List<TraceEvent> low = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            nx.add(new SetPte(0, TraceEvent.NO_TIMESTAMP, 0x1000 + 8 * i, 0x8000_0000_0020_0063L + ((long) i << 12)));
            low.add(new SetPte(0, TraceEvent.NO_TIMESTAMP, 0x1000 + 8 * i, 0x20_0063L + ((long) i << 12)));
        }
        EventBatch fixed = onlyBatch(FOUR_LEVEL, nx);
        assertThat(fixed.getValueFixedList()).hasSize(10).first().isEqualTo(0x8000_0000_0020_0063L);
        assertThat(fixed.getValueList()).isEmpty();
        EventBatch varints = onlyBatch(FOUR_LEVEL, low);
        assertThat(varints.getValueList()).hasSize(10).first().isEqualTo(0x20_0063L);
        assertThat(varints.getValueFixedList()).isEmpty();
        assertThat(varints.getTimestampNsList()).isEmpty();
        // deltas: the first gpa 0x1000 from 0, then 8 each
        assertThat(varints.getEntryGpaList()).containsExactly(0x1000L, 8L, 8L, 8L, 8L, 8L, 8L, 8L, 8L, 8L);
    }

    /**
     * Optional fields are +1 (0 absent): a set_pgd without a user slot is 0, one with the slot
     * 0x2ff8 is 0x2ff9; a flush of scope one at 0x400000 has flush_vaddr 0x400001, vaddr_end and
     * flush_mm 0, cpus and cpu_count 0.
     */
    @Test
    void optionalFieldsArePlusOneWithZeroForAbsent() throws IOException {
        EventBatch b = onlyBatch(FOUR_LEVEL, List.of(
                new SetPgd(0, TraceEvent.NO_TIMESTAMP, 0x1ff8, 0x3063, TraceEvent.NO_ADDRESS),
                new SetPgd(0, TraceEvent.NO_TIMESTAMP, 0x1ff8, 0x3063, 0x2ff8),
                FlushTlb.one(1, TraceEvent.NO_TIMESTAMP, 0x400000),
                new WriteCr3(1, TraceEvent.NO_TIMESTAMP, 0x5000, WriteCr3.Root.USER)));
        assertThat(b.getKindList()).containsExactly(15, 15, 22, 16);
        assertThat(b.getUserEntryGpaList()).containsExactly(0L, 0x2ff9L);
        assertThat(b.getScopeValueList()).containsExactly(3);
        assertThat(b.getFlushVaddrList()).containsExactly(0x400001L);
        assertThat(b.getVaddrEndList()).containsExactly(0L);
        assertThat(b.getFlushMmList()).containsExactly(0L);
        assertThat(b.getCpusList()).containsExactly(0L);
        assertThat(b.getPgdList()).containsExactly(0x5000L);
        assertThat(b.getRootValueList()).containsExactly(2);
    }

    /**
     * Each batch's deltas start again from 0: set_pte(cpu 0, t 1000 + i, 0x1000 + 8i = 0x2063)
     * for i = 0..4096 is a batch of 4096 events and one of the last alone. In the first, the
     * timestamps are zigzag(1000) + 1 = 2001, then zigzag(1) + 1 = 3 each; the gpas 0x1000 from 0,
     * then 8 each (entry_gpa is a sint64: the generated class undoes the zigzag). The second holds
     * i = 4096 alone: t 5096, zigzag(5096) + 1 = 10193 (not 3); gpa 0x1000 + 0x8000 = 0x9000 (not 8).
     */
    @Test
    void eachBatchCodesItsDeltasFromZero() throws IOException {
        List<TraceEvent> events = new ArrayList<>();
        for (int i = 0; i <= 4096; i++) {
            events.add(new SetPte(0, 1000 + i, 0x1000 + 8 * i, 0x2063));
        }
        List<EventBatch> batches = batches(TWO_LEVEL, events);
        assertThat(batches).hasSize(2);
        EventBatch first = batches.get(0);
        assertThat(first.getTimestampNsList()).hasSize(4096).startsWith(2001L, 3L).endsWith(3L);
        assertThat(first.getEntryGpaList()).hasSize(4096).startsWith(0x1000L, 8L).endsWith(8L);
        EventBatch second = batches.get(1);
        assertThat(second.getTimestampNsList()).containsExactly(10193L);
        assertThat(second.getEntryGpaList()).containsExactly(0x9000L);
        assertThat(second.getValueList()).containsExactly(0x2063L);
    }

    /**
     * An event without a timestamp is 0 in the column and the next one's delta is from the last
     * event that had one: t 1000, none, 1500 are zigzag(1000) + 1 = 2001, 0, zigzag(500) + 1 = 1001.
     */
    @Test
    void aTimestampDeltaSkipsTheEventsWithout() throws IOException {
        EventBatch b = onlyBatch(TWO_LEVEL, List.of(new SetPte(0, 1000, 0x1000, 0x2063),
                new SetPte(0, TraceEvent.NO_TIMESTAMP, 0x1008, 0x2063), new SetPte(0, 1500, 0x1010, 0x2063)));
        assertThat(b.getTimestampNsList()).containsExactly(2001L, 0L, 1001L);
    }

    /**
     * A batch another tool made with the generated classes of the .proto reads as the events it
     * means, however the fields are laid out: here each column in two pieces, as concatenating
     * two messages gives (protobuf defines that as merging them, so a repeated field continues),
     * the deltas running on from one piece into the next.
     */
    @Test
    void batchesFromTheGeneratedClassesRead() throws IOException {
        EventBatch first = EventBatch.newBuilder().addKind(10).addCpu(1).addTimestampNs(2001)
                .addEntryGpa(0x1000).addValue(0x2063).build();
        // the second piece continues the deltas: entry_gpa +8, timestamp +500
        EventBatch second = EventBatch.newBuilder().addKind(10).addCpu(0).addTimestampNs(1001)
                .addEntryGpa(8).addValueFixed(0x3063).build();
        byte[] merged = concat(first.toByteArray(), second.toByteArray());
        Path p = dir.resolve("g.mmtrace");
        Files.write(p, BatchErrorsTest.file(TWO_LEVEL, merged));
        try (TraceReader r = TraceFiles.open(p)) {
            // value and value_fixed both filled: refused, the spelling must be one or the other
            assertThat(BatchErrorsTest.error(r))
                    .endsWith("field 'value': the batch fills both spellings of the column (value and value_fixed)");
        }
        EventBatch secondVarint = second.toBuilder().clearValueFixed().addValue(0x3063).build();
        Files.write(p, BatchErrorsTest.file(TWO_LEVEL, concat(first.toByteArray(), secondVarint.toByteArray())));
        try (TraceReader r = TraceFiles.open(p)) {
            assertThat(RoundTripTest.readAll(r)).containsExactly(new SetPte(1, 1000, 0x1000, 0x2063),
                    new SetPte(0, 1500, 0x1008, 0x3063));
        }
    }

    /**
     * Unpacked, one tag per value, which protobuf's writers no longer emit but its parsers must
     * read: 08 0a (kind 10, wire type 0), 10 01 (cpu 1), 20 80 40 (entry_gpa, field 4: zigzag
     * 0x2000 is 0x1000), 28 e3 40 (value, field 5: 0x2063); no timestamp column.
     */
    @Test
    void unpackedColumnsRead() throws IOException {
        Path p = dir.resolve("u.mmtrace");
        Files.write(p, BatchErrorsTest.file(TWO_LEVEL,
                bytes(0x08, 0x0a, 0x10, 0x01, 0x20, 0x80, 0x40, 0x28, 0xe3, 0x40)));
        try (TraceReader r = TraceFiles.open(p)) {
            assertThat(RoundTripTest.readAll(r))
                    .containsExactly(new SetPte(1, TraceEvent.NO_TIMESTAMP, 0x1000, 0x2063));
        }
    }

    private EventBatch onlyBatch(TraceHeader header, List<TraceEvent> events) throws IOException {
        List<EventBatch> batches = batches(header, events);
        assertThat(batches).hasSize(1);
        return batches.get(0);
    }

    private List<EventBatch> batches(TraceHeader header, List<TraceEvent> events) throws IOException {
        Path p = dir.resolve("o.mmtrace");
        RoundTripTest.write(p, header, events);
        var in = com.google.protobuf.CodedInputStream.newInstance(Files.readAllBytes(p));
        in.skipRawBytes(BinaryLayout.PREAMBLE_BYTES);
        in.skipRawBytes(in.readRawVarint32());
        List<EventBatch> batches = new ArrayList<>();
        while (!in.isAtEnd()) {
            batches.add(EventBatch.parseFrom(in.readRawBytes(in.readRawVarint32())));
        }
        return batches;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
