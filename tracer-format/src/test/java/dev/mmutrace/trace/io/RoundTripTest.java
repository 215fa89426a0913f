package dev.mmutrace.trace.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedMap;
import dev.mmutrace.trace.AccessMode;
import dev.mmutrace.trace.CpuFeatures;
import dev.mmutrace.trace.EventType;
import dev.mmutrace.trace.InitialMemory;
import dev.mmutrace.trace.P2m;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.TraceWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Binary -> CSV -> binary loses nothing and CSV -> binary -> CSV changes no byte, over seeded
 * random events of every kind in every paging mode, with 64 vCPUs and extreme values.
 */
class RoundTripTest {
    private static final int EVENTS = 20_000;

    @TempDir
    Path dir;

    static TraceHeader header(PagingMode mode) {
        // pfn_limit: 4 GiB of frames for the 32-bit modes' entries, 2^40 frames (MAXPHYADDR 52) in 4level
        long pfnLimit = mode == PagingMode.FOUR_LEVEL ? 1L << 40 : 1L << 20;
        P2m p2m = switch (mode) {
            case TWO_LEVEL -> P2m.PERMUTATION;
            case PAE -> P2m.IDENTITY;
            case FOUR_LEVEL -> P2m.table(ImmutableSortedMap.of(0L, 0x5000L, 1L, 0x4000L, 0xfff_ffffL, -2L));
        };
        return TraceHeader.defaults(mode, TraceHeader.MAX_VCPUS, pfnLimit)
                .withP2m(p2m)
                .withInitMmPgd(mode == PagingMode.PAE ? 0x1fe0 : 0x1000)
                .withCpuFeatures(new CpuFeatures(mode != PagingMode.TWO_LEVEL, true, false, true, true, false, 52))
                .withAccessMode(mode == PagingMode.PAE ? AccessMode.EXPLICIT : AccessMode.IMPLIED)
                // both values cross the formats: unknown (proto3's absent zero) in pae, empty elsewhere
                .withInitialMemory(mode == PagingMode.PAE ? InitialMemory.UNKNOWN : InitialMemory.EMPTY)
                .withProducer("round-trip test, \"quoted\", with commas", "1.2.3-rc1")
                .withLabels(ImmutableMap.of("workload", "kernbench -j4", "kernel", "2.6.29=xen", "empty", ""));
    }

    @ParameterizedTest
    @EnumSource(PagingMode.class)
    void binaryToCsvToBinaryIsLossless(PagingMode mode) throws IOException {
        TraceHeader header = header(mode);
        List<TraceEvent> events = new ArrayList<>();
        RandomEvents random = new RandomEvents(header, 42 + mode.ordinal());
        for (int i = 0; i < EVENTS; i++) {
            events.add(random.next(i));
        }
        Path binary = dir.resolve("a.mmtrace");
        write(binary, header, events);

        Path csv = dir.resolve("a.csv");
        copy(binary, csv);
        Path binaryAgain = dir.resolve("b.mmtrace");
        copy(csv, binaryAgain);
        Path csvAgain = dir.resolve("b.csv");
        copy(binaryAgain, csvAgain);

        try (TraceReader r = TraceFiles.open(csv)) {
            assertThat(r.header()).isEqualTo(header);
            assertThat(readAll(r)).isEqualTo(events);
        }
        assertThat(Files.readAllBytes(binaryAgain)).isEqualTo(Files.readAllBytes(binary));
        assertThat(Files.readAllBytes(csvAgain)).isEqualTo(Files.readAllBytes(csv));
    }

    @ParameterizedTest
    @EnumSource(PagingMode.class)
    void generatedEventsCoverEveryKindAndBothAbsentAndPresentOptionals(PagingMode mode) {
        // guards the generator itself: a round trip over a narrow sample would prove little
        RandomEvents random = new RandomEvents(header(mode), 7);
        Set<EventType> kinds = EnumSet.noneOf(EventType.class);
        boolean absentTimestamp = false;
        boolean presentTimestamp = false;
        for (int i = 0; i < 1000; i++) {
            TraceEvent e = random.next(i);
            kinds.add(e.type());
            absentTimestamp |= e.timestampNs() == TraceEvent.NO_TIMESTAMP;
            presentTimestamp |= e.timestampNs() != TraceEvent.NO_TIMESTAMP;
        }
        assertThat(kinds).containsExactlyInAnyOrder(EventType.values());
        assertThat(absentTimestamp).isTrue();
        assertThat(presentTimestamp).isTrue();
    }

    @ParameterizedTest
    @EnumSource(PagingMode.class)
    void gzippedBinaryReadsBackTheSameEvents(PagingMode mode) throws IOException {
        TraceHeader header = header(mode);
        List<TraceEvent> events = new ArrayList<>();
        RandomEvents random = new RandomEvents(header, 3);
        for (int i = 0; i < 1000; i++) {
            events.add(random.next(i));
        }
        Path gz = dir.resolve("c.mmtrace.gz");
        write(gz, header, events);
        // gzip magic 1f 8b: the writer zipped because of the name
        byte[] bytes = Files.readAllBytes(gz);
        assertThat(bytes[0] & 0xff).isEqualTo(0x1f);
        assertThat(bytes[1] & 0xff).isEqualTo(0x8b);
        try (TraceReader r = TraceFiles.open(gz)) {
            assertThat(r.header()).isEqualTo(header);
            assertThat(readAll(r)).isEqualTo(events);
        }
    }

    @ParameterizedTest
    @EnumSource(PagingMode.class)
    void versionOneFilesReadBackAsTheEventsTheyHoldAndConvertToBatches(PagingMode mode) throws IOException {
        // version 1 (one event per record) is what files written before the batches hold
        TraceHeader header = header(mode);
        List<TraceEvent> events = randomEvents(header, 5, 5_000);
        Path v1 = dir.resolve("v1.mmtrace");
        VersionOneFiles.write(v1, header, events);
        Path v2 = dir.resolve("v2.mmtrace");
        copy(v1, v2);
        for (Path p : List.of(v1, v2)) {
            try (TraceReader r = TraceFiles.open(p)) {
                assertThat(r.header()).isEqualTo(header);
                assertThat(readAll(r)).isEqualTo(events);
            }
        }
        assertThat(versionOf(v1)).isEqualTo(1);
        assertThat(versionOf(v2)).isEqualTo(2);
    }

    /**
     * Batches hold 4,096 events: a trace of n events has ceil(n / 4096) batch records after the
     * header, the last one partial unless n is a multiple, and none at all for n = 0.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1, 4095, 4096, 4097, 8192, 12_289})
    void batchBoundariesLoseNothing(int n) throws IOException {
        TraceHeader header = header(PagingMode.FOUR_LEVEL);
        List<TraceEvent> events = randomEvents(header, n, n);
        Path binary = dir.resolve("n.mmtrace");
        write(binary, header, events);
        try (TraceReader r = TraceFiles.open(binary)) {
            assertThat(readAll(r)).isEqualTo(events);
        }
        assertThat(recordsAfterTheHeader(binary)).isEqualTo((n + 4095) / 4096);
        Path csv = dir.resolve("n.csv");
        copy(binary, csv);
        Path again = dir.resolve("m.mmtrace");
        copy(csv, again);
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(binary));
    }

    private static List<TraceEvent> randomEvents(TraceHeader header, long seed, int n) {
        List<TraceEvent> events = new ArrayList<>();
        RandomEvents random = new RandomEvents(header, seed);
        for (int i = 0; i < n; i++) {
            events.add(random.next(i));
        }
        return events;
    }

    /** The preamble's version: the little-endian uint32 after the 8-byte magic. */
    private static int versionOf(Path binary) throws IOException {
        byte[] b = Files.readAllBytes(binary);
        return (b[8] & 0xff) | (b[9] & 0xff) << 8 | (b[10] & 0xff) << 16 | (b[11] & 0xff) << 24;
    }

    /** Walks the framing: after the 12-byte preamble, varint lengths and records to the end. */
    static int recordsAfterTheHeader(Path binary) throws IOException {
        com.google.protobuf.CodedInputStream in = com.google.protobuf.CodedInputStream.newInstance(
                Files.readAllBytes(binary));
        in.skipRawBytes(BinaryLayout.PREAMBLE_BYTES);
        int records = -1;
        while (!in.isAtEnd()) {
            in.skipRawBytes(in.readRawVarint32());
            records++;
        }
        return records;
    }

    static void write(Path path, TraceHeader header, List<TraceEvent> events) {
        try (TraceWriter w = TraceFiles.create(path, header)) {
            for (TraceEvent e : events) {
                w.write(e);
            }
        }
    }

    static void copy(Path from, Path to) {
        try (TraceReader r = TraceFiles.open(from); TraceWriter w = TraceFiles.create(to, r.header())) {
            while (r.hasNext()) {
                w.write(r.next());
            }
        }
    }

    static List<TraceEvent> readAll(TraceReader r) {
        List<TraceEvent> all = new ArrayList<>();
        while (r.hasNext()) {
            all.add(r.next());
        }
        return all;
    }
}
