package dev.mmutrace.trace.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import dev.mmutrace.trace.InitialMemory;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.SetPte;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.proto.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind of broken binary file gives its one-line message with the record number (header =
 * record 0). The files here are version 1 (one event per record, as written before the batches
 * of version 2, BatchErrorsTest), built by hand or by {@link VersionOneFiles}; the framing, the
 * preamble and the header are the same in both versions.
 */
class BinaryErrorsTest {
    /** 2level, 2 vCPUs, 256 frames (1 MiB of guest memory). */
    private static final TraceHeader HEADER = TraceHeader.defaults(PagingMode.TWO_LEVEL, 2, 0x100);

    @TempDir
    Path dir;

    /**
     * set_pte(cpu 0, no timestamp, entry_gpa 0x1000, value 0x2063) on the wire, worked out by hand:
     * cpu 0 is proto3's default and not written; oneof field 10 wire type 2 is tag 0x52; the
     * SetPte body is 08 80 20 (entry_gpa 4096 = 0x80 0x20 as a varint) 10 e3 40 (value 8291 =
     * 0x63|0x80, 0x40): 6 bytes. The event is 52 06 + 6 = 8 bytes, its record 08 + 8 = 9 bytes.
     */
    private static final byte[] SET_PTE_RECORD = {0x08, 0x52, 0x06, 0x08, (byte) 0x80, 0x20, 0x10, (byte) 0xe3, 0x40};

    @Test
    void setPteRecordIsTheBytesWorkedOutByHand() throws IOException {
        Path p = file(events(new SetPte(0, TraceEvent.NO_TIMESTAMP, 0x1000, 0x2063)));
        byte[] all = Files.readAllBytes(p);
        assertThat(Arrays.copyOfRange(all, all.length - 9, all.length)).isEqualTo(SET_PTE_RECORD);
    }

    @Test
    void truncatedRecordNamesTheRecordAndHowFarItGot() throws IOException {
        Path p = dir.resolve("t.mmtrace");
        byte[] whole = preambleAndHeader(SET_PTE_RECORD, SET_PTE_RECORD, SET_PTE_RECORD);
        // cut 3 bytes off the third event: 5 of its 8 message bytes remain
        Files.write(p, Arrays.copyOf(whole, whole.length - 3));
        assertThat(errorReading(p)).isEqualTo(p + ": record 3: truncated: the file ends 5 bytes into a 8-byte record");
    }

    @Test
    void gzipMissingItsTrailerIsTruncatedNotACleanEnd() throws IOException {
        Path gz = dir.resolve("g.mmtrace.gz");
        SetPte e = new SetPte(0, TraceEvent.NO_TIMESTAMP, 0x1000, 0x2063);
        RoundTripTest.write(gz, HEADER, List.of(e, e, e));
        byte[] whole = Files.readAllBytes(gz);
        // the last 8 bytes of a gzip file are its trailer (CRC-32, size); keep 4 of them. The
        // writer put the three events in one batch, record 1, which still inflates; looking for
        // record 2 reaches the broken trailer.
        Files.write(gz, Arrays.copyOf(whole, whole.length - 4));
        assertThat(errorReading(gz))
                .isEqualTo(gz + ": record 2: truncated: the gzip data ends early");
    }

    @Test
    void gzipCutInsideItsDataIsTruncatedAtTheRecordBeingRead() throws IOException {
        Path gz = dir.resolve("g.mmtrace.gz");
        SetPte e = new SetPte(0, TraceEvent.NO_TIMESTAMP, 0x1000, 0x2063);
        RoundTripTest.write(gz, HEADER, List.of(e));
        byte[] whole = Files.readAllBytes(gz);
        // 10-byte gzip header, then deflate data: keeping 12 bytes leaves too little to inflate
        // even the preamble, so the reader is still before the end of the header, record 0
        Files.write(gz, Arrays.copyOf(whole, 12));
        assertThat(errorReading(gz)).isEqualTo(gz + ": record 0: truncated: the gzip data ends early");
    }

    @Test
    void fileEndingInsideALengthIsTruncated() throws IOException {
        Path p = dir.resolve("t.mmtrace");
        // 0x80 announces a second length byte that never comes
        Files.write(p, preambleAndHeader(SET_PTE_RECORD, new byte[] {(byte) 0x80}));
        assertThat(errorReading(p)).isEqualTo(p + ": record 2: truncated: the file ends inside the record's length");
    }

    @Test
    void fileWithoutHeaderIsTruncatedAtRecordZero() throws IOException {
        Path p = dir.resolve("t.mmtrace");
        Files.write(p, BinaryLayout.preamble(1));
        assertThat(errorReading(p)).isEqualTo(p + ": record 0: truncated: the file ends before the header");
    }

    @Test
    void corruptLengthIsReportedWithItsValue() throws IOException {
        Path p = dir.resolve("c.mmtrace");
        // ff ff ff ff 0f is the varint 0xffffffff = 4294967295, far past an event's 64 KiB
        Files.write(p, preambleAndHeader(SET_PTE_RECORD, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff,
            (byte) 0xff, 0x0f, 0x52}));
        assertThat(errorReading(p))
                .isEqualTo(p + ": record 2: corrupt length 4294967295 (an event is at most 65536 bytes)");
    }

    @Test
    void recordThatIsNotAnEventMessageIsCorrupt() throws IOException {
        Path p = dir.resolve("c.mmtrace");
        // tag 0x52 (field 10, length-delimited) announcing 0x7f bytes inside a 2-byte record
        Files.write(p, preambleAndHeader(new byte[] {0x02, 0x52, 0x7f}));
        assertThat(errorReading(p)).isEqualTo(p + ": record 1: corrupt record (not a valid Event message)");
    }

    @Test
    void badMagicIsNotATrace() throws IOException {
        Path p = dir.resolve("m.mmtrace");
        Files.write(p, "MMUTRAC!\u0001\u0000\u0000\u0000".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(errorReading(p)).isEqualTo(p + ": not an mmutrace binary trace (bad magic)");
    }

    @Test
    void unknownFormatVersionIsRejected() throws IOException {
        Path p = dir.resolve("v.mmtrace");
        byte[] bytes = preambleAndHeader(SET_PTE_RECORD);
        bytes[8] = 3; // little-endian uint32 after the 8-byte magic: version 3
        Files.write(p, bytes);
        assertThat(errorReading(p))
                .isEqualTo(p + ": field 'format_version': unknown format version 3 (this build reads 1 and 2)");
    }

    @Test
    void eventWithNoKindSetIsRejected() throws IOException {
        // Event{cpu: 1} and nothing else: tag 0x08, varint 1
        Path p = file(preambleAndHeader(SET_PTE_RECORD, new byte[] {0x02, 0x08, 0x01}));
        assertThat(errorReading(p)).isEqualTo(p + ": record 2: field 'event': no event kind set");
    }

    @Test
    void eventOfAKindFromANewerSchemaIsRejectedNotSkipped() throws IOException {
        // field 40, wire type 2: tag (40 << 3) | 2 = 322 = varint c2 02, empty body 00
        Path p = file(preambleAndHeader(new byte[] {0x03, (byte) 0xc2, 0x02, 0x00}));
        assertThat(errorReading(p))
                .isEqualTo(p + ": record 1: field 'event': unknown event kind (field number 40; this build reads"
                        + " format versions 1 and 2)");
    }

    @Test
    void unknownEnumValueIsRejected() throws IOException {
        Event e = Event.newBuilder().setFlushTlb(dev.mmutrace.trace.proto.FlushTlb.newBuilder().setScopeValue(9))
                .build();
        Path p = file(preambleAndHeader(delimited(e)));
        assertThat(errorReading(p)).isEqualTo(p + ": record 1: field 'scope': unknown value 9");
    }

    @Test
    void vcpuBeyondTheHeadersCountIsRejected() throws IOException {
        Event e = Event.newBuilder().setCpu(2).setSetPte(
                dev.mmutrace.trace.proto.SetPte.newBuilder().setEntryGpa(0x1000).setValue(0x2063)).build();
        Path p = file(preambleAndHeader(SET_PTE_RECORD, delimited(e)));
        assertThat(errorReading(p)).isEqualTo(p + ": record 2: field 'cpu': vCPU 2 but the header has 2 (0..1)");
    }

    @Test
    void misalignedEntryGpaIsRejected() throws IOException {
        // 2level entries are 4 bytes: 0x1002 is inside the entry at 0x1000
        Event e = Event.newBuilder().setSetPte(
                dev.mmutrace.trace.proto.SetPte.newBuilder().setEntryGpa(0x1002).setValue(0x2063)).build();
        Path p = file(preambleAndHeader(delimited(e)));
        assertThat(errorReading(p))
                .isEqualTo(p + ": record 1: field 'entry_gpa': 0x1002 is not aligned to the 4-byte entries of 2level");
    }

    @Test
    void addressWithBit63SetIsRefusedWithTheFieldItWasIn() throws IOException {
        Event e = Event.newBuilder().setWriteCr3(dev.mmutrace.trace.proto.WriteCr3.newBuilder()
                .setPgd(0x8000_0000_0000_0000L).setRootValue(1)).build();
        Path p = file(preambleAndHeader(delimited(e)));
        assertThat(errorReading(p))
                .isEqualTo(p + ": record 1: field 'pgd': pgd must be below 2^63, got 0x8000000000000000");
    }

    @Test
    void headerWithoutPagingModeIsRejectedAtRecordZero() throws IOException {
        var header = HeaderMessages.toMessage(HEADER, 1).toBuilder().setPagingModeValue(0).build();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(BinaryLayout.preamble(1));
        b.write(delimited(header));
        Path p = file(b.toByteArray());
        assertThat(errorReading(p)).isEqualTo(p + ": record 0: field 'paging_mode': missing (unspecified)");
    }

    @Test
    void headerWithoutInitialMemoryReadsAsUnknown() throws IOException {
        // a header from before field 13 existed: proto3 reads the absent enum as 0, which is unknown
        var header = HeaderMessages.toMessage(HEADER.withInitialMemory(InitialMemory.EMPTY), 1).toBuilder()
                .clearInitialMemory().build();
        assertThat(header.hasField(header.getDescriptorForType().findFieldByName("initial_memory"))).isFalse();
        try (TraceReader r = TraceFiles.open(file(headerRecord(header)))) {
            assertThat(r.header().initialMemory()).isEqualTo(InitialMemory.UNKNOWN);
        }
    }

    @Test
    void unknownInitialMemoryValueIsRejectedAtRecordZero() throws IOException {
        // 0 unknown and 1 empty are the only values; 2 would come from a newer schema
        var header = HeaderMessages.toMessage(HEADER, 1).toBuilder().setInitialMemoryValue(2).build();
        Path p = file(headerRecord(header));
        assertThat(errorReading(p)).isEqualTo(p + ": record 0: field 'initial_memory': unknown value 2");
    }

    @Test
    void headerWhoseProducerHoldsALineBreakIsRefusedAtRecordZero() throws IOException {
        // found by fuzzing: such a header read, then could not be written as CSV (one line per value)
        var header = HeaderMessages.toMessage(HEADER, 1).toBuilder().setProducer("hand\nwritten").build();
        Path p = file(headerRecord(header));
        assertThat(errorReading(p)).isEqualTo(p + ": record 0: field 'producer': producer 'hand\\u000awritten'"
                + " holds a line break (a CSV trace writes each header value as one '# key: value' line)");
    }

    @Test
    void gzipCutInItsOwnHeaderIsTruncated() throws IOException {
        // found by fuzzing: the gzip magic 1f 8b and nothing more; the 10-byte gzip header is cut
        Path gz = dir.resolve("g.mmtrace.gz");
        Files.write(gz, new byte[] {0x1f, (byte) 0x8b});
        assertThat(errorReading(gz)).isEqualTo(gz + ": truncated: the gzip data ends in its header");
    }

    @Test
    void gzipWithAnUnknownCompressionMethodIsCorrupt() throws IOException {
        // found by fuzzing: byte 2 of a gzip header is the method, and 8 (deflate) is the only one
        Path gz = dir.resolve("g.mmtrace.gz");
        Files.write(gz, new byte[] {0x1f, (byte) 0x8b, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        assertThat(errorReading(gz)).isEqualTo(gz + ": corrupt gzip data (Unsupported compression method)");
    }

    private static byte[] headerRecord(MessageLite header) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(BinaryLayout.preamble(1));
        b.write(delimited(header));
        return b.toByteArray();
    }

    @Test
    void badRecordsFailAfterEveryGoodEventBeforeThemAcrossBatches() throws IOException {
        // the reader decodes BATCH_EVENTS records at a time: put the failures past one batch, and a
        // refused event (record 600) before a truncated one (record 700) in the same batch
        int batch = BinaryTraceReader.BATCH_EVENTS;
        Event vcpu2 = Event.newBuilder().setCpu(2).setSetPte(
                dev.mmutrace.trace.proto.SetPte.newBuilder().setEntryGpa(0x1000).setValue(0x2063)).build();
        byte[][] records = new byte[700][];
        Arrays.fill(records, SET_PTE_RECORD);
        records[599] = delimited(vcpu2);
        records[699] = Arrays.copyOf(SET_PTE_RECORD, 4); // 3 of its 8 message bytes
        Path p = file(preambleAndHeader(records));
        assertThat(599).isGreaterThan(2 * batch);
        assertThat(goodEventsBeforeTheError(p)).isEqualTo(599);
        assertThat(errorReading(p)).isEqualTo(p + ": record 600: field 'cpu': vCPU 2 but the header has 2 (0..1)");

        records[599] = SET_PTE_RECORD;
        Path q = file(preambleAndHeader(records));
        assertThat(goodEventsBeforeTheError(q)).isEqualTo(699);
        assertThat(errorReading(q)).isEqualTo(q + ": record 700: truncated: the file ends 3 bytes into a 8-byte record");
    }

    @Test
    void aWholeNumberOfBatchesEndsCleanly() throws IOException {
        byte[][] records = new byte[2 * BinaryTraceReader.BATCH_EVENTS][];
        Arrays.fill(records, SET_PTE_RECORD);
        try (TraceReader r = TraceFiles.open(file(preambleAndHeader(records)))) {
            assertThat(RoundTripTest.readAll(r)).hasSize(records.length)
                    .allMatch(e -> e.equals(new SetPte(0, TraceEvent.NO_TIMESTAMP, 0x1000, 0x2063)));
            assertThat(r.hasNext()).isFalse();
        }
    }

    /** How many events the reader hands out before it throws. */
    private static int goodEventsBeforeTheError(Path p) {
        int n = 0;
        try (TraceReader r = TraceFiles.open(p)) {
            while (r.hasNext()) {
                r.next();
                n++;
            }
        } catch (TraceInputException expected) {
            return n;
        }
        throw new AssertionError("reading " + p + " did not fail");
    }

    private String errorReading(Path p) {
        Throwable thrown = null;
        try (TraceReader r = TraceFiles.open(p)) {
            while (r.hasNext()) {
                r.next();
            }
        } catch (TraceInputException e) {
            thrown = e;
        }
        assertThat(thrown).as("reading %s must fail", p).isNotNull();
        return thrown.getMessage();
    }

    private Path file(byte[] bytes) throws IOException {
        Path p = dir.resolve("f.mmtrace");
        Files.write(p, bytes);
        return p;
    }

    private byte[] events(TraceEvent... events) throws IOException {
        Path p = dir.resolve("w.mmtrace");
        VersionOneFiles.write(p, HEADER, List.of(events));
        return Files.readAllBytes(p);
    }

    private static byte[] preambleAndHeader(byte[]... records) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(BinaryLayout.preamble(1));
        b.write(delimited(HeaderMessages.toMessage(HEADER, 1)));
        for (byte[] r : records) {
            b.write(r);
        }
        return b.toByteArray();
    }

    private static byte[] delimited(MessageLite m) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        CodedOutputStream c = CodedOutputStream.newInstance(b);
        c.writeUInt32NoTag(m.getSerializedSize());
        m.writeTo(c);
        c.flush();
        return b.toByteArray();
    }

    @Test
    void readerRejectsNothingItsWriterWrote() {
        assertThatThrownBy(() -> TraceFiles.create(dir.resolve("x.mmtrace"), HEADER)
                .write(new SetPte(2, TraceEvent.NO_TIMESTAMP, 0x1000, 0x2063)))
                .isInstanceOf(TraceInputException.class)
                .hasMessage(dir.resolve("x.mmtrace")
                        + ": record 1: field 'cpu': trace event 1 (event 1 of this batch): vCPU 2 but the header"
                        + " has 2 (0..1)");
    }
}
