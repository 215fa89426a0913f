package dev.mmutrace.trace.io;

import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.TraceWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The round trips the fuzz targets check on whatever a reader accepted: written in a format and
 * read back, a header and its events come back equal. Nothing here touches a file.
 */
final class RoundTrips {
    private RoundTrips() {
    }

    /** Through CSV and back. */
    static void csvKeeps(TraceHeader header, List<TraceEvent> events) {
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        try (TraceWriter w = new CsvTraceWriter(new OutputStreamWriter(csv, StandardCharsets.UTF_8), "round-trip.csv",
                header)) {
            events.forEach(w::write);
        }
        sameAfter(TraceFormat.CSV, csv.toByteArray(), header, events);
    }

    /** Through binary and back. */
    static void binaryKeeps(TraceHeader header, List<TraceEvent> events) {
        ByteArrayOutputStream binary = new ByteArrayOutputStream();
        try (TraceWriter w = new BinaryTraceWriter(binary, "round-trip.mmtrace", header)) {
            events.forEach(w::write);
        }
        sameAfter(TraceFormat.BINARY, binary.toByteArray(), header, events);
    }

    private static void sameAfter(TraceFormat format, byte[] written, TraceHeader header, List<TraceEvent> events) {
        List<TraceEvent> again = new ArrayList<>();
        TraceHeader headerAgain;
        try (TraceReader r = TraceFiles.open(new ByteArrayInputStream(written), "round-trip", format)) {
            headerAgain = r.header();
            r.forEachRemaining(again::add);
        }
        if (!headerAgain.equals(header)) {
            throw new AssertionError(format + " round trip changed the header: " + header + " -> " + headerAgain);
        }
        if (!again.equals(events)) {
            throw new AssertionError(format + " round trip changed the events: " + events + " -> " + again);
        }
    }
}
