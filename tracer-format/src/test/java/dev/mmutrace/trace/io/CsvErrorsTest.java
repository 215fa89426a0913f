package dev.mmutrace.trace.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.trace.InitialMemory;
import dev.mmutrace.trace.Gap;
import dev.mmutrace.trace.SetPte;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.TraceReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each kind of broken CSV gives its one-line message with the file's physical line number.
 * The files below have four header lines, the column row on line 5 and events from line 6.
 */
class CsvErrorsTest {
    private static final String HEADER_LINES = "# format_version: 2\n# paging_mode: 2level\n# vcpus: 2\n"
            + "# pfn_limit: 0x100\n" + CsvLayout.HEADER_ROW + "\n";

    /** The row of set_pte(cpu, entry_gpa, value): event, cpu, timestamp_ns, mm, vaddr, entry_gpa, value, blanks. */
    private static String setPte(String cpu, String entryGpa, String value) {
        return row("set_pte", cpu, "", "", "", entryGpa, value);
    }

    /** The first cells given, the rest of the 25 blank. */
    private static String row(String... first) {
        String[] cells = Arrays.copyOf(first, CsvLayout.COLUMNS.length);
        Arrays.fill(cells, first.length, cells.length, "");
        return String.join(",", cells) + "\n";
    }

    private static final String GOOD = setPte("0", "0x1000", "0x2063");

    @TempDir
    Path dir;

    @Test
    void wellFormedFileReadsItsEvent() throws IOException {
        Path p = csv(HEADER_LINES + GOOD);
        try (TraceReader r = TraceFiles.open(p)) {
            assertThat(r.header().vcpus()).isEqualTo(2);
            assertThat(r.header().pfnLimit()).isEqualTo(0x100);
            assertThat(RoundTripTest.readAll(r)).containsExactly(new SetPte(0, -1, 0x1000, 0x2063));
        }
    }

    @Test
    void initialMemoryIsUnknownUnlessALineSaysEmpty() throws IOException {
        // HEADER_LINES has no initial_memory line: a trace that does not say may start mid-run
        try (TraceReader r = TraceFiles.open(csv(HEADER_LINES + GOOD))) {
            assertThat(r.header().initialMemory()).isEqualTo(InitialMemory.UNKNOWN);
        }
        try (TraceReader r = TraceFiles.open(csv("# initial_memory: empty\n" + HEADER_LINES + GOOD))) {
            assertThat(r.header().initialMemory()).isEqualTo(InitialMemory.EMPTY);
        }
    }

    /**
     * Files that are refused, each with what follows the file's name in its one line: the line
     * of the first bad one, the field it names and why. Most are the header above and bad rows.
     */
    static Stream<Arguments> refusedFiles() {
        return Stream.of(
                // the bad line is line 5, after the four header lines and before the column row (now line 6)
                refused("unknown initial memory value names its line",
                        HEADER_LINES.replace("# pfn_limit: 0x100\n", "# pfn_limit: 0x100\n# initial_memory: zeroed\n")
                                + GOOD,
                        ": line 5: field 'initial_memory': unknown initial memory 'zeroed' (empty, unknown)"),
                // found by fuzzing: the message spelled out all 24 columns; four header lines, so line 5
                // is missing
                refused("file ending before the column row names the line after the header",
                        HEADER_LINES.replace(CsvLayout.HEADER_ROW + "\n", ""),
                        ": line 5: the file ends before the column row ('event,cpu,...', docs/trace-format.md)"),
                refused("bad hex names line and field",
                        HEADER_LINES + GOOD + setPte("0", "0x1004", "0x20g3"),
                        ": line 7: field 'value': bad hex '0x20g3' (0x and 1..16 hex digits)"),
                refused("hex without prefix is bad hex",
                        HEADER_LINES + setPte("0", "1000", "0x2063"),
                        ": line 6: field 'entry_gpa': bad hex '1000' (0x and 1..16 hex digits)"),
                // 2^63 - 1 = 9223372036854775807 is the largest timestamp; one more does not fit
                refused("timestamp past two to the 63 is too large",
                        HEADER_LINES
                                + row("lazy_mmu", "0", "9223372036854775807", "", "", "", "", "", "", "", "", "", "",
                                        "", "", "", "", "", "", "", "enter")
                                + row("lazy_mmu", "0", "9223372036854775808"),
                        ": line 7: field 'timestamp_ns': bad number '9223372036854775808' (too large)"),
                refused("unknown event is rejected not skipped",
                        HEADER_LINES + GOOD + row("set_ptx", "0", "", "", "", "0x1000", "0x2063"),
                        ": line 7: field 'event': unknown event 'set_ptx'"),
                refused("missing required field names who needs it",
                        HEADER_LINES + setPte("0", "0x1000", ""),
                        ": line 6: field 'value': missing (set_pte needs it)"),
                refused("vcpu beyond the headers count is rejected",
                        HEADER_LINES + setPte("2", "0x1000", "0x2063"),
                        ": line 6: field 'cpu': vCPU 2 but the header has 2 (0..1)"),
                refused("misaligned entry gpa is rejected",
                        HEADER_LINES + setPte("1", "0x1002", "0x2063"),
                        ": line 6: field 'entry_gpa': 0x1002 is not aligned to the 4-byte entries of 2level"),
                // pfn_limit 0x100 frames = 1 MiB: the last entry is at 0xffffc, 0x100000 is past the end
                refused("entry outside guest memory is rejected",
                        HEADER_LINES + setPte("0", "0xffffc", "0x2063") + setPte("0", "0x100000", "0x2063"),
                        ": line 7: field 'entry_gpa': 0x100000 lies beyond guest memory (pfn_limit 0x100)"),
                refused("value wider than 32 bits in 2level is rejected",
                        HEADER_LINES + setPte("0", "0x1000", "0x100002063"),
                        ": line 6: field 'value': 0x100002063 does not fit the 32-bit entries of 2level"),
                refused("unknown format version is rejected",
                        HEADER_LINES.replace("format_version: 2", "format_version: 3") + GOOD,
                        ": line 1: field 'format_version': unknown format version 3 (this build reads 1 and 2)"),
                // the version says 24 columns; a 25th in the column row is not the version 1 layout
                refused("version one column row with the new column is refused",
                        VERSION_1.replace(CsvLayout.headerRow(1), CsvLayout.HEADER_ROW) + GOOD,
                        ": line 5: expected 24 columns in the column row of format version 1, got 25"),
                refused("gap in a version one file is refused",
                        VERSION_1 + "gap,1" + ",".repeat(22) + "\n",
                        ": line 6: field 'event': format version 1 has no gap event"
                                + " (it came with version 2 and its lost_events column)"),
                refused("gap of no events is refused",
                        HEADER_LINES + row("gap", "1").replace(",\n", ",0\n"),
                        ": line 6: field 'lost_events': lost_events must be at least 1 (or absent: unknown), got 0"),
                refused("missing header field is reported at the column row",
                        HEADER_LINES.replace("# vcpus: 2\n", "") + GOOD,
                        ": line 4: field 'vcpus': missing: the header needs a line '# vcpus: ...'"
                                + " before the column row"),
                refused("impossible header value names its line",
                        HEADER_LINES.replace("# vcpus: 2", "# vcpus: 65") + GOOD,
                        ": line 3: field 'vcpus': vcpus must be 1..64, got 65"),
                refused("unknown header field is rejected",
                        "# colour: blue\n" + HEADER_LINES + GOOD,
                        ": line 1: field 'colour': unknown header field"),
                refused("cell in a column the event does not use is rejected",
                        HEADER_LINES + row("set_pte", "0", "", "", "", "0x1000", "0x2063", "", "", "", "", "1"),
                        ": line 6: field 'level': set_pte has no level (leave the cell blank)"),
                refused("blank lines count in the line numbers",
                        HEADER_LINES + GOOD + "\n\n" + setPte("9", "0x1000", "0x2063"),
                        ": line 9: field 'cpu': vCPU 9 but the header has 2 (0..1)"),
                refused("wrong column row names the first different column",
                        HEADER_LINES.replace("event,cpu,timestamp_ns", "event,vcpu,timestamp_ns") + GOOD,
                        ": line 5: field 'cpu': expected column 'cpu' here in the column row, got 'vcpu'"),
                // RFC 4180 would let the quoted cell run on into line 8; no cell of a trace holds a line break
                refused("unterminated quote is malformed csv at its line",
                        HEADER_LINES + GOOD + "\"set_pte,0\n" + GOOD,
                        ": line 7: malformed CSV (a quoted cell is not closed before the end of the line)"),
                // "ab"c: the fifth character of the line follows the closing quote
                refused("text after a closing quote is malformed csv",
                        HEADER_LINES + "\"ab\"c,0\n",
                        ": line 6: malformed CSV (Invalid character between"
                                + " encapsulated token and delimiter at character 5)"),
                refused("row longer than the layout counts all its cells",
                        HEADER_LINES + GOOD.replace("\n", ",,0x5\n"),
                        ": line 6: expected 25 columns, got 27"),
                refused("non ascii event name is quoted as written",
                        HEADER_LINES + GOOD.replace("set_pte", "set_pté"),
                        ": line 6: field 'event': unknown event 'set_pté'"),
                refused("unknown scope lists the known ones",
                        HEADER_LINES + flushOnCpu0("some"),
                        ": line 6: field 'scope': unknown scope 'some' (user, all, one, multi)"),
                refused("flush one without address is missing its vaddr",
                        HEADER_LINES + flushOnCpu0("one"),
                        ": line 6: field 'vaddr': missing (a flush of one page needs it)"));
    }

    private static Arguments refused(String behaviour, String file, String message) {
        return Arguments.of(Named.of(behaviour, file), message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedFiles")
    void aRefusedFileIsOneLineNamingItsLineAndField(String file, String message) throws IOException {
        Path p = csv(file);
        assertThat(errorReading(p)).isEqualTo(p + message);
    }

    @Test
    void leadingByteOrderMarkIsNotPartOfTheFirstLine() throws IOException {
        Path p = csv("\uFEFF" + HEADER_LINES + GOOD);
        try (TraceReader r = TraceFiles.open(p)) {
            assertThat(RoundTripTest.readAll(r)).containsExactly(new SetPte(0, -1, 0x1000, 0x2063));
        }
    }

    @Test
    void aMegabyteBadCellGivesAShortMessage() throws IOException {
        // found by fuzzing: the message quoted the whole cell; now its first 80 characters and its length
        String cell = "0x" + "f".repeat((1 << 20) - 2);
        Path p = csv(HEADER_LINES + setPte("0", "0x1000", cell));
        assertThat(errorReading(p)).isEqualTo(p + ": line 6: field 'value': bad hex '0x" + "f".repeat(78)
                + "...' (1048576 characters) (0x and 1..16 hex digits)");
    }

    @Test
    void gzipWhoseDeflateDataIsBrokenIsCorruptAtTheFirstLineLost() throws IOException {
        // a stored deflate block (type 00) must have LEN and its complement NLEN; 00 00 00 00 does
        // not, so nothing inflates and line 1 is the first lost
        Path gz = dir.resolve("t.csv.gz");
        Files.write(gz, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        assertThat(errorReading(gz)).isEqualTo(gz + ": line 1: corrupt gzip data (invalid stored block lengths)");
    }

    @Test
    void gzipMissingItsTrailerIsTruncatedAfterTheLastWholeRow() throws IOException {
        Path gz = dir.resolve("t.csv.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write((HEADER_LINES + GOOD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        byte[] whole = Files.readAllBytes(gz);
        // cut into the 8-byte gzip trailer: the text inflates whole (event on line 6), the
        // search for a row on line 7 reaches the broken trailer
        Files.write(gz, Arrays.copyOf(whole, whole.length - 4));
        assertThat(errorReading(gz)).isEqualTo(gz + ": line 7: truncated: the gzip data ends early");
    }

    @Test
    void gzipCutInsideItsDataIsTruncatedAtTheFirstLineLost() throws IOException {
        // 100,000 rows, the gzip data cut at a third: what inflates before the cut, read here a
        // byte at a time, holds the whole lines up to some row; the next line is the first lost
        StringBuilder text = new StringBuilder(HEADER_LINES);
        for (int i = 0; i < 100_000; i++) {
            text.append(setPte(Integer.toString(i % 2), "0x" + Integer.toHexString((i % 0x40) * 4 + 0x1000),
                    "0x" + Integer.toHexString(i * 0x1000 + 0x63 & 0xfffff)));
        }
        Path gz = dir.resolve("cut.csv.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        byte[] whole = Files.readAllBytes(gz);
        Files.write(gz, Arrays.copyOf(whole, whole.length / 3));
        long wholeLines = 0;
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(gz))) {
            for (int b = in.read(); b >= 0; b = in.read()) {
                wholeLines += b == '\n' ? 1 : 0;
            }
        } catch (java.io.EOFException expected) {
            // the cut
        }
        assertThat(wholeLines).isBetween(10_000L, 90_000L);
        assertThat(errorReading(gz)).isEqualTo(gz + ": line " + (wholeLines + 1) + ": truncated: the gzip data ends early");
    }

    @Test
    void wrongColumnCountIsRejected() throws IOException {
        String shortRow = GOOD.substring(0, GOOD.length() - 2) + "\n"; // one comma fewer: 24 cells
        Path p = csv(HEADER_LINES + shortRow);
        assertThat(errorReading(p)).isEqualTo(p + ": line 6: expected 25 columns, got 24");
    }

    /** Version 1: the 24 columns before lost_events, every row 24 cells. */
    private static final String VERSION_1 = "# format_version: 1\n# paging_mode: 2level\n# vcpus: 2\n"
            + "# pfn_limit: 0x100\n" + CsvLayout.headerRow(1) + "\n";

    @Test
    void versionOneFileStillReads() throws IOException {
        String row = GOOD.substring(0, GOOD.length() - 2) + "\n"; // the 24 cells, the last comma dropped
        try (TraceReader r = TraceFiles.open(csv(VERSION_1 + row))) {
            assertThat(RoundTripTest.readAll(r)).containsExactly(new SetPte(0, -1, 0x1000, 0x2063));
        }
    }

    @Test
    void gapReadsWithItsCountOrWithoutOne() throws IOException {
        // lost_events is the 25th cell: blank is "the tracer did not say how many"
        String counted = row("gap", "1", "5000").replace(",\n", ",42\n");
        String unknown = row("gap", "0");
        try (TraceReader r = TraceFiles.open(csv(HEADER_LINES + counted + unknown))) {
            assertThat(RoundTripTest.readAll(r)).containsExactly(Gap.of(1, 5000, 42), Gap.ofUnknownSize(0, -1));
        }
    }

    @Test
    void quotedCellsReadAsTheirText() throws IOException {
        // RFC 4180: a quoted cell is its text without the quotes, "" inside one is a quote; a quote
        // inside an unquoted cell is only a character, and so is an error in a hex column
        Path p = csv(HEADER_LINES + "\"set_pte\",\"0\",,,,0x1000,\"0x2063\",,,,,,,,,,,,,,,,,,\n"
                + "\"set_pte\",\"1\",\"\",,,0x2000,0x3063,,,,,,,,,,,,,,,,,,\n");
        try (TraceReader r = TraceFiles.open(p)) {
            assertThat(RoundTripTest.readAll(r)).containsExactly(new SetPte(0, -1, 0x1000, 0x2063),
                    new SetPte(1, -1, 0x2000, 0x3063));
        }
        Path q = csv(HEADER_LINES + setPte("0", "0x1000", "0x20\"63"));
        assertThat(errorReading(q)).isEqualTo(
                q + ": line 6: field 'value': bad hex '0x20\"63' (0x and 1..16 hex digits)");
        Path doubled = csv(HEADER_LINES + setPte("0", "0x1000", "\"0x20\"\"63\""));
        assertThat(errorReading(doubled)).isEqualTo(
                doubled + ": line 6: field 'value': bad hex '0x20\"63' (0x and 1..16 hex digits)");
    }

    @Test
    void crLfLineEndsReadLikeLf() throws IOException {
        Path p = csv((HEADER_LINES + GOOD + "\n" + setPte("1", "0x2000", "0x3063")).replace("\n", "\r\n"));
        try (TraceReader r = TraceFiles.open(p)) {
            assertThat(RoundTripTest.readAll(r)).containsExactly(new SetPte(0, -1, 0x1000, 0x2063),
                    new SetPte(1, -1, 0x2000, 0x3063));
        }
        Path bad = csv((HEADER_LINES + GOOD + "\n" + setPte("9", "0x2000", "0x3063")).replace("\n", "\r\n"));
        assertThat(errorReading(bad)).isEqualTo(bad + ": line 8: field 'cpu': vCPU 9 but the header has 2 (0..1)");
    }

    /** A flush_tlb row on vCPU 0 with only its scope (column 16) filled in. */
    private static String flushOnCpu0(String scope) {
        String[] cells = new String[17];
        Arrays.fill(cells, "");
        cells[0] = "flush_tlb";
        cells[1] = "0";
        cells[16] = scope;
        return row(cells);
    }

    private String errorReading(Path p) {
        List<Object> read = new ArrayList<>();
        Throwable thrown = null;
        try (TraceReader r = TraceFiles.open(p)) {
            while (r.hasNext()) {
                read.add(r.next());
            }
        } catch (TraceInputException e) {
            thrown = e;
        }
        assertThat(thrown).as("reading %s must fail, read %s", p, read).isNotNull();
        return thrown.getMessage();
    }

    private Path csv(String text) throws IOException {
        Path p = dir.resolve("t.csv");
        Files.writeString(p, text);
        return p;
    }
}
