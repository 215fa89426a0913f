package dev.mmutrace.trace.tracedat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.trace.importer.ImportSummary;
import dev.mmutrace.trace.importer.Loss;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reader against trace-cmd itself: real captures from this project's machines
 * (scripts/record-tracedat-fixtures.sh: page faults, TLB flushes and context switches, with the
 * kernel losing events in its overwritten buffer), each with the text {@code trace-cmd report -t
 * -R} printed for it. Every event must come out with the same cpu, nanosecond timestamp, pid, name
 * and field values (the -R form prints every field of the format raw), in the same order, and
 * every "CPU:n [m EVENTS DROPPED]" line must stand exactly where the reader hands out a loss of
 * the same cpu and count (and no loss anywhere else). trace-cmd is the oracle; CI needs no trace-cmd, only its saved text.
 */
class TraceCmdOracleTest {
    private static final Path DIR = Path.of("..", "sample-traces", "tracedat");
    // comm-pid [cpu] secs.nanos: name: payload; the comm may hold spaces and dashes
    private static final Pattern EVENT = Pattern.compile(
            "^\\s*(.*)-(\\d+)\\s+\\[(\\d+)\\]\\s+(\\d+)\\.(\\d{9}): (\\w+):\\s*(.*)$");
    private static final Pattern DROPPED = Pattern.compile("^CPU:(\\d+) \\[(\\d+) EVENTS DROPPED\\]$");

    @ParameterizedTest
    // v7-zlib.dat was made by a trace-cmd built with zlib (Debian's has none; the record script
    // says how), and that trace-cmd printed capture.report.txt for it byte for byte.
    @CsvSource({"v6.dat, capture.report.txt", "v7.dat, capture.report.txt", "v7-zstd.dat, capture.report.txt",
        "v7-zlib.dat, capture.report.txt", "lost-v7.dat, lost.report.txt"})
    void everyEventAgreesWithTraceCmdReport(String dat, String report) throws IOException {
        List<String> lines = Files.readAllLines(DIR.resolve(report));
        assertThat(lines.get(0)).isEqualTo("cpus=2");
        int events = 0;
        int drops = 0;
        int at = 1;
        try (TraceDatSource source = (TraceDatSource) new TraceDatImporter().open(DIR.resolve(dat), dat,
                new ImportSummary.Tally())) {
            assertThat(source.statedCpus()).isEqualTo(2);
            while (source.advance()) {
                if (source.loss().isPresent()) {
                    // the reader's loss stands exactly where trace-cmd printed its drop line
                    Loss loss = source.loss().get();
                    Matcher d = DROPPED.matcher(lines.get(at));
                    assertThat(d.matches()).as("report line %d: %s (the reader has a loss here)", at + 1, lines.get(at))
                            .isTrue();
                    assertThat(loss.cpu()).as("cpu of the drop on line %d", at + 1).isEqualTo(Integer.parseInt(d.group(1)));
                    assertThat(loss.count()).as("count of the drop on line %d", at + 1)
                            .isEqualTo(OptionalLong.of(Long.parseLong(d.group(2))));
                    drops++;
                    at++;
                    continue;
                }
                TraceDatRecord r = (TraceDatRecord) source.record();
                Matcher m = EVENT.matcher(lines.get(at));
                assertThat(m.matches()).as("report line %d: %s", at + 1, lines.get(at)).isTrue();
                String where = dat + " event " + (events + 1) + " = report line " + (at + 1);
                assertThat(r.cpu()).as(where).isEqualTo(Integer.parseInt(m.group(3)));
                assertThat(r.timestampNs()).as(where)
                        .isEqualTo(Long.parseLong(m.group(4)) * 1_000_000_000L + Long.parseLong(m.group(5)));
                assertThat(r.pid()).as(where).isEqualTo(Integer.parseInt(m.group(2)));
                assertThat(r.name()).as(where).isEqualTo(m.group(6));
                checkFields(r, m.group(7), where);
                events++;
                at++;
            }
        }
        assertThat(at).as("report lines left over").isEqualTo(lines.size());
        assertThat(events).isGreaterThan(800);
        // capture.report.txt and lost.report.txt each print one drop line per cpu (lines 2 and 1089,
        // lines 2 and 178): both captures begin with lost events on each of the two cpus
        assertThat(drops).isEqualTo(2);
    }

    /** {@code name=value} for every field after the common ones, in format order; values may hold spaces. */
    private static void checkFields(TraceDatRecord r, String payload, String where) {
        List<EventFormat.FormatField> fields = new ArrayList<>();
        for (EventFormat.FormatField f : r.format().fields()) {
            if (!f.name().startsWith("common_")) {
                fields.add(f);
            }
        }
        int from = 0;
        for (int i = 0; i < fields.size(); i++) {
            EventFormat.FormatField f = fields.get(i);
            String key = f.name() + "=";
            assertThat(payload.startsWith(key, from)).as(where + ": '" + key + "' in '" + payload + "'").isTrue();
            int valueStart = from + key.length();
            int valueEnd = i + 1 < fields.size() ? payload.indexOf(" " + fields.get(i + 1).name() + "=", valueStart)
                    : payload.length();
            String value = payload.substring(valueStart, valueEnd);
            if (f.isText()) {
                assertThat(r.text(f.name())).as(where + ": " + f.name()).isEqualTo(value);
            } else {
                long expected = value.startsWith("0x") ? Long.parseUnsignedLong(value.substring(2), 16)
                        : value.startsWith("-") ? Long.parseLong(value) : Long.parseUnsignedLong(value);
                assertThat(r.number(f.name())).as(where + ": " + f.name()).isEqualTo(expected);
            }
            from = valueEnd + 1;
        }
    }
}
