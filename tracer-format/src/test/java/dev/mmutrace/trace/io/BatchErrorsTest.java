package dev.mmutrace.trace.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.CodedOutputStream;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.SetPte;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.proto.EventBatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken batches (version 2): each problem is one line naming the batch's record, the field and,
 * for a problem with one event, which event; the events before the problem still come out.
 */
class BatchErrorsTest {
    /** 2level, 2 vCPUs, 256 frames (1 MiB of guest memory). */
    private static final TraceHeader HEADER = TraceHeader.defaults(PagingMode.TWO_LEVEL, 2, 0x100);

    /** Two set_ptes, cpu 0, no timestamps, at 0x1000 and 0x1008 (deltas 0x1000 and 8). */
    private static final EventBatch TWO_SET_PTES = EventBatch.newBuilder().addKind(10).addKind(10).addCpu(0).addCpu(0)
            .addEntryGpa(0x1000).addEntryGpa(8).addValue(0x2063).addValue(0x3063).build();

    /**
     * TWO_SET_PTES, then a lazy_mmu (kind 23) of phase 0, PHASE_UNSPECIFIED, which the .proto says
     * is rejected.
     */
    private static final EventBatch TWO_SET_PTES_THEN_NO_PHASE = TWO_SET_PTES.toBuilder().addKind(23).addCpu(0)
            .addPhaseValue(0).build();

    @TempDir
    Path dir;

    @Test
    void truncatedBatchNamesItsRecord() throws IOException {
        byte[] whole = file(HEADER, TWO_SET_PTES.toByteArray());
        // the batch is 4+4+5+6 = 19 bytes: kind 0a 02 0a 0a, cpu 12 02 00 00, entry_gpa 22 03 80 40
        // 10 (zigzag 0x2000 and 16), value 2a 04 e3 40 e3 60; cut 3 off: 16 of them remain
        assertThat(TWO_SET_PTES.getSerializedSize()).isEqualTo(19);
        assertThat(errorReading(Arrays.copyOf(whole, whole.length - 3)))
                .isEqualTo(": record 1: truncated: the file ends 16 bytes into a 19-byte record");
    }

    @Test
    void cpuColumnShorterThanTheKindsIsRefused() throws IOException {
        EventBatch b = TWO_SET_PTES.toBuilder().clearCpu().addCpu(0).build();
        assertThat(errorReading(file(HEADER, b.toByteArray())))
                .isEqualTo(": record 1: field 'cpu': the column holds 1 values for the batch's 2 events");
    }

    @Test
    void timestampColumnMustHaveOneValuePerEventOrNone() throws IOException {
        EventBatch b = TWO_SET_PTES.toBuilder().addTimestampNs(1).build();
        assertThat(errorReading(file(HEADER, b.toByteArray()))).isEqualTo(": record 1: field 'timestamp_ns': the"
                + " column holds 1 values for the batch's 2 events (one per event, or none)");
    }

    @Test
    void columnWithFewerValuesThanItsEventsTakeIsRefusedBeforeAnyEvent() throws IOException {
        EventBatch b = TWO_SET_PTES.toBuilder().clearEntryGpa().addEntryGpa(0x1000).build();
        assertThat(errorReading(file(HEADER, b.toByteArray()))).isEqualTo(": record 1: field 'entry_gpa': the"
                + " entry_gpa column holds 1 values but the batch's events take 2");
        assertThat(goodEvents(file(HEADER, b.toByteArray()))).isZero();
    }

    @Test
    void columnWithValuesNoEventTakesIsRefused() throws IOException {
        // a set_pte takes no level; a level column of one value belongs to no event
        EventBatch b = TWO_SET_PTES.toBuilder().addLevel(1).build();
        assertThat(errorReading(file(HEADER, b.toByteArray()))).isEqualTo(": record 1: field 'level': the"
                + " level column holds 1 values but the batch's events take 0");
    }

    @Test
    void unknownKindNamesTheEvent() throws IOException {
        // kind 40 is no field of Event's oneof
        EventBatch b = TWO_SET_PTES.toBuilder().setKind(1, 40).build();
        assertThat(errorReading(file(HEADER, b.toByteArray()))).isEqualTo(": record 1: field 'event': trace event 2"
                + " (event 2 of this batch): unknown event kind 40 (this build reads format versions 1 and 2)");
    }

    @Test
    void theFirstEventOfAnUnknownKindIsNamedWhateverItsNumber() throws IOException {
        // 40 is no field of Event's oneof, nor is 100 (a number above any a kind may have): the
        // event named is the first of the two, whichever way round they come
        EventBatch b = TWO_SET_PTES.toBuilder().setKind(0, 40).setKind(1, 100).build();
        assertThat(errorReading(file(HEADER, b.toByteArray()))).isEqualTo(": record 1: field 'event': trace event 1"
                + " (event 1 of this batch): unknown event kind 40 (this build reads format versions 1 and 2)");
        EventBatch reversed = TWO_SET_PTES.toBuilder().setKind(0, 100).setKind(1, 40).build();
        assertThat(errorReading(file(HEADER, reversed.toByteArray()))).isEqualTo(": record 1: field 'event': trace"
                + " event 1 (event 1 of this batch): unknown event kind 100 (this build reads format versions 1 and 2)");
    }

    @Test
    void unknownColumnIsRefusedNotSkipped() throws IOException {
        // field 30, wire type 0: tag 30 << 3 = 240 = varint f0 01, then the value 00
        byte[] batch = BatchFilesTest.concat(TWO_SET_PTES.toByteArray(), BatchFilesTest.bytes(0xf0, 0x01, 0x00));
        assertThat(errorReading(file(HEADER, batch))).isEqualTo(": record 1: unknown column (field number 30 of"
                + " EventBatch; this build reads format versions 1 and 2)");
    }

    @Test
    void recordThatIsNoBatchMessageIsCorrupt() throws IOException {
        // tag 0x0a (kind, packed) announcing 0x7f bytes inside a 2-byte record
        byte[] bytes = file(HEADER);
        byte[] broken = BatchFilesTest.concat(bytes, BatchFilesTest.bytes(0x02, 0x0a, 0x7f));
        assertThat(errorReading(broken)).isEqualTo(": record 1: corrupt record (not a valid EventBatch message)");
    }

    @Test
    void batchLongerThanAnyBatchCanBeIsACorruptLength() throws IOException {
        // 80 80 80 08 is the varint 2^24 = 16777216, past the 8 MiB a batch may take
        byte[] broken = BatchFilesTest.concat(file(HEADER), BatchFilesTest.bytes(0x80, 0x80, 0x80, 0x08, 0x0a));
        assertThat(errorReading(broken))
                .isEqualTo(": record 1: corrupt length 16777216 (a batch is at most 8388608 bytes)");
    }

    @Test
    void batchOfMoreEventsThanABatchMayHoldIsRefused() throws IOException {
        EventBatch.Builder b = EventBatch.newBuilder();
        for (int i = 0; i < 65_537; i++) {
            b.addKind(23).addCpu(0).addPhaseValue(1 + i % 2); // lazy_mmu enter/leave
        }
        assertThat(errorReading(file(HEADER, b.build().toByteArray())))
                .isEqualTo(": record 1: field 'event': 65537 events, more than a batch may hold (65536)");
    }

    @Test
    void impossibleValueInASecondBatchLeavesTheEventsBeforeIt() throws IOException {
        // batch 2's second entry_gpa is 0x1000 + 2: inside the 4-byte entry at 0x1000
        EventBatch bad = TWO_SET_PTES.toBuilder().setEntryGpa(1, 2).build();
        byte[] f = file(HEADER, TWO_SET_PTES.toByteArray(), bad.toByteArray());
        assertThat(goodEvents(f)).isEqualTo(3);
        assertThat(errorReading(f)).isEqualTo(": record 2: field 'entry_gpa': trace event 4 (event 2 of this batch):"
                + " 0x1002 is not aligned to the 4-byte entries of 2level");
    }

    @Test
    void flushWhoseFieldsDisagreeWithItsScopeIsRefusedAmongGoodEvents() throws IOException {
        // the two set_ptes, then flush_tlb (kind 22) of scope all (wire 2) naming target vCPUs 0b1:
        // every column passes on its own; the flush's cpus fail only against its scope, which the
        // reader checks event by event
        EventBatch b = TWO_SET_PTES.toBuilder().addKind(22).addCpu(1).addScopeValue(2).addFlushVaddr(0)
                .addVaddrEnd(0).addCpus(1).addCpuCount(0).addFlushMm(0).build();
        byte[] f = file(HEADER, b.toByteArray());
        assertThat(goodEvents(f)).isEqualTo(2);
        assertThat(errorReading(f)).isEqualTo(": record 1: field 'cpus': trace event 3 (event 3 of this batch): only a"
                + " multi flush has target vCPUs, this is all");
    }

    @Test
    void userRootOutsideFourLevelIsRefusedAmongGoodEvents() throws IOException {
        // write_cr3 (kind 16) of pgd 0x2000 (its delta; sint64), root user (wire 2), in this 2level trace:
        // the pgd column passes, the root is refused only in the light of the paging mode
        EventBatch b = TWO_SET_PTES.toBuilder().addKind(16).addCpu(0).addPgd(0x2000).addRootValue(2).build();
        byte[] f = file(HEADER, b.toByteArray());
        assertThat(goodEvents(f)).isEqualTo(2);
        assertThat(errorReading(f)).isEqualTo(": record 1: field 'root': trace event 3 (event 3 of this batch): only"
                + " 4level guests keep a user root, this trace is 2level");
    }

    @Test
    void unpackedVarintRunningPastTheBatchIsCorrupt() throws IOException {
        // 08 0a (kind 10), then 10 81: cpu, a varint whose continuation bit promises a byte the batch lacks
        byte[] b = BatchFilesTest.bytes(0x08, 0x0a, 0x10, 0x81);
        assertThat(errorReading(file(HEADER, b)))
                .isEqualTo(": record 1: corrupt record (not a valid EventBatch message)");
    }

    @Test
    void unknownEnumValueIsRefused() throws IOException {
        // flush_tlb (kind 22) of scope 9; its other columns: no vaddr, no end, cpus 0, count 0, no mm
        EventBatch b = EventBatch.newBuilder().addKind(22).addCpu(1).addScopeValue(9).addFlushVaddr(0)
                .addVaddrEnd(0).addCpus(0).addCpuCount(0).addFlushMm(0).build();
        assertThat(errorReading(file(HEADER, b.toByteArray())))
                .isEqualTo(": record 1: field 'scope': trace event 1 (event 1 of this batch): unknown value 9");
    }

    @Test
    void enumLeftUnspecifiedIsRefusedAfterTheGoodEvents() throws IOException {
        byte[] f = file(HEADER, TWO_SET_PTES_THEN_NO_PHASE.toByteArray());
        assertThat(goodEvents(f)).isEqualTo(2);
        assertThat(errorReading(f)).isEqualTo(": record 1: field 'phase': trace event 3 (event 3 of this batch):"
                + " missing (unspecified)");
    }

    @Test
    void enumValuesPastTheLastAreRefusedUnsigned() throws IOException {
        // write_cr3 (kind 16) of pgd 0x2000 (its delta; sint64): Root has KERNEL = 1 and USER = 2, so 3
        // is no root; -1 goes on the wire as the ten-byte varint 2^64 - 1 = 18446744073709551615
        EventBatch three = EventBatch.newBuilder().addKind(16).addCpu(0).addPgd(0x2000).addRootValue(3).build();
        assertThat(errorReading(file(HEADER, three.toByteArray())))
                .isEqualTo(": record 1: field 'root': trace event 1 (event 1 of this batch): unknown value 3");
        EventBatch minusOne = three.toBuilder().setRootValue(0, -1).build();
        assertThat(errorReading(file(HEADER, minusOne.toByteArray()))).isEqualTo(": record 1: field 'root': trace"
                + " event 1 (event 1 of this batch): unknown value 18446744073709551615");
    }

    @Test
    void theEndIsSaidAgainAndNextPastItNamesTheFile() throws IOException {
        Path p = dir.resolve("end.mmtrace");
        Files.write(p, file(HEADER, TWO_SET_PTES.toByteArray()));
        try (TraceReader r = TraceFiles.open(p)) {
            assertThat(r.next()).isEqualTo(new SetPte(0, TraceEvent.NO_TIMESTAMP, 0x1000, 0x2063));
            assertThat(r.hasNext()).isTrue();
            assertThat(r.next()).isEqualTo(new SetPte(0, TraceEvent.NO_TIMESTAMP, 0x1008, 0x3063));
            assertThat(r.hasNext()).isFalse();
            assertThat(r.hasNext()).isFalse();
            assertThatThrownBy(r::next).isInstanceOf(NoSuchElementException.class)
                    .hasMessage(p + ": no more events");
        }
    }

    @Test
    void theProblemIsThrownAgainOnEveryCall() throws IOException {
        Path p = dir.resolve("again.mmtrace");
        Files.write(p, file(HEADER, TWO_SET_PTES_THEN_NO_PHASE.toByteArray()));
        try (TraceReader r = TraceFiles.open(p)) {
            r.next();
            r.next();
            TraceInputException first = catchThrowableOfType(r::hasNext, TraceInputException.class);
            assertThat(first).hasMessageEndingWith("missing (unspecified)");
            assertThat(catchThrowableOfType(r::hasNext, TraceInputException.class)).isSameAs(first);
            assertThat(catchThrowableOfType(r::next, TraceInputException.class)).isSameAs(first);
        }
    }

    @Test
    void aShorterBatchAfterALongerOneGivesOnlyItsOwnEvents() throws IOException {
        // batch 1: set_ptes at 0x1000, 0x1008, 0x1010 (the entry_gpa deltas 0x1000, 8, 8);
        // batch 2: the two set_ptes of TWO_SET_PTES (its deltas start again from 0), then a
        // lazy_mmu of phase 0, refused: the decoder makes each batch's events into the same array,
        // so batch 1's third event must not come out in its place
        EventBatch three = TWO_SET_PTES.toBuilder().addKind(10).addCpu(1).addEntryGpa(8).addValue(0x4063).build();
        Path p = dir.resolve("two.mmtrace");
        Files.write(p, file(HEADER, three.toByteArray(), TWO_SET_PTES_THEN_NO_PHASE.toByteArray()));
        List<TraceEvent> read = new ArrayList<>();
        try (TraceReader r = TraceFiles.open(p)) {
            TraceInputException e = catchThrowableOfType(() -> {
                while (r.hasNext()) {
                    read.add(r.next());
                }
            }, TraceInputException.class);
            assertThat(e).hasMessage(p + ": record 2: field 'phase': trace event 6 (event 3 of this batch):"
                    + " missing (unspecified)");
        }
        SetPte first = new SetPte(0, TraceEvent.NO_TIMESTAMP, 0x1000, 0x2063);
        SetPte second = new SetPte(0, TraceEvent.NO_TIMESTAMP, 0x1008, 0x3063);
        assertThat(read).containsExactly(first, second, new SetPte(1, TraceEvent.NO_TIMESTAMP, 0x1010, 0x4063),
                first, second);
    }

    @Test
    void timestampDeltasBelowZeroAreRefused() throws IOException {
        // the first timestamp is zigzag(-5) + 1 = 9 + 1 = 10: 5 ns before the origin
        EventBatch b = TWO_SET_PTES.toBuilder().addTimestampNs(10).addTimestampNs(0).build();
        assertThat(errorReading(file(HEADER, b.toByteArray()))).isEqualTo(": record 1: field 'timestamp_ns': trace"
                + " event 1 (event 1 of this batch): the deltas leave the range 0..2^63-1");
    }

    @Test
    void cpuWiderThan31BitsIsRefused() throws IOException {
        // cpu is a uint32, so the generated builder cannot write 2^32 + 1; by hand: 0a 01 0a (kind
        // 10), 12 05 81 80 80 80 10 (cpu: the varint 2^32 + 1), 22 02 80 40 (entry_gpa 0x1000),
        // 2a 02 e3 40 (value 0x2063)
        byte[] b = BatchFilesTest.bytes(0x0a, 0x01, 0x0a, 0x12, 0x05, 0x81, 0x80, 0x80, 0x80, 0x10, 0x22, 0x02, 0x80,
                0x40, 0x2a, 0x02, 0xe3, 0x40);
        assertThat(errorReading(file(HEADER, b))).isEqualTo(": record 1: field 'cpu': trace event 1"
                + " (event 1 of this batch): cpu 4294967297 is out of range");
    }

    @Test
    void emptyBatchesAreReadPast() throws IOException {
        byte[] f = file(HEADER, new byte[0], TWO_SET_PTES.toByteArray(), new byte[0]);
        Path p = dir.resolve("e.mmtrace");
        Files.write(p, f);
        try (TraceReader r = TraceFiles.open(p)) {
            assertThat(RoundTripTest.readAll(r)).containsExactly(new SetPte(0, TraceEvent.NO_TIMESTAMP, 0x1000, 0x2063),
                    new SetPte(0, TraceEvent.NO_TIMESTAMP, 0x1008, 0x3063));
        }
    }

    /** A version 2 file: preamble, header, then each batch as a delimited record. */
    static byte[] file(TraceHeader header, byte[]... batches) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        CodedOutputStream c = CodedOutputStream.newInstance(b);
        c.writeRawBytes(BinaryLayout.preamble(BinaryLayout.VERSION_BATCHES));
        var h = HeaderMessages.toMessage(header, BinaryLayout.VERSION_BATCHES);
        c.writeUInt32NoTag(h.getSerializedSize());
        h.writeTo(c);
        for (byte[] batch : batches) {
            c.writeUInt32NoTag(batch.length);
            c.writeRawBytes(batch);
        }
        c.flush();
        return b.toByteArray();
    }

    /** The message reading stops with, after the events before it. */
    static String error(TraceReader r) {
        try {
            while (r.hasNext()) {
                r.next();
            }
        } catch (TraceInputException e) {
            return e.getMessage();
        }
        throw new AssertionError("reading " + r.source() + " did not fail");
    }

    /** The error, without the file name it starts with. */
    private String errorReading(byte[] bytes) throws IOException {
        Path p = dir.resolve("f.mmtrace");
        Files.write(p, bytes);
        try (TraceReader r = TraceFiles.open(p)) {
            String message = error(r);
            assertThat(message).startsWith(p.toString());
            return message.substring(p.toString().length());
        }
    }

    private int goodEvents(byte[] bytes) throws IOException {
        Path p = dir.resolve("f.mmtrace");
        Files.write(p, bytes);
        List<TraceEvent> read = new ArrayList<>();
        try (TraceReader r = TraceFiles.open(p)) {
            while (r.hasNext()) {
                read.add(r.next());
            }
        } catch (TraceInputException expected) {
            return read.size();
        }
        throw new AssertionError("reading did not fail");
    }
}
