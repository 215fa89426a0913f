package dev.mmutrace.trace.io;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mmutrace.trace.Refusals;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.text.TextLines;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Fuzzes the CSV trace reader (docs/reliability.md, Fuzzing). For any bytes:
 * <ul>
 * <li>each line without a quote splits into the same cells under {@link CsvRow#split}, the
 *     reader's own byte splitter, as under Commons CSV (RFC 4180), the reference;</li>
 * <li>reading the file either gives a header and events or stops with a
 *     {@link TraceInputException} whose message is one line quoting at most 80 characters;</li>
 * <li>what was read, written back as CSV and read again, is the same header and events.</li>
 * </ul>
 * Plain {@code mvn verify} runs the saved inputs under {@code CsvReaderFuzzTestInputs}.
 */
class CsvReaderFuzzTest {

    /** libFuzzer reads dictionary entries with escapes: {@code \x0A} is a line feed, {@code \x22} a quote. */
    @FuzzTest
    @DictionaryEntries({"# format_version: 1\\x0A", "# paging_mode: ", "# vcpus: ", "# pfn_limit: 0x",
        "# p2m_entry: ", "# label: ", "set_pte,", "set_pgd,", "write_cr3,",
        "flush_tlb,", "page_fault,", "alloc_pt,", "0x", ",,", "\\x22", "true", "false", "multi", "kernel", "\\x0D\\x0A"})
    void readsOrRefuses(byte[] data) {
        splitsQuoteFreeLinesAsCommonsCsv(data);
        List<TraceEvent> events = new ArrayList<>();
        TraceHeader header;
        try (TraceReader r = TraceFiles.open(new ByteArrayInputStream(data), "fuzz.csv", TraceFormat.CSV)) {
            header = r.header();
            r.forEachRemaining(events::add);
        } catch (TraceInputException refusal) {
            Refusals.check(refusal, data);
            return;
        }
        RoundTrips.csvKeeps(header, events);
    }

    private static void splitsQuoteFreeLinesAsCommonsCsv(byte[] data) {
        CsvRow row = new CsvRow();
        TextLines lines = new TextLines(new ByteArrayInputStream(data), 16);
        while (lines.next()) {
            if (lines.start() == lines.end() || !row.split(lines.bytes(), lines.start(), lines.end())) {
                continue; // a blank line is no row; one with a quote the reader gives to Commons CSV itself
            }
            CSVRecord reference = commonsCsv(lines.text());
            if (reference.size() != row.size()) {
                throw new AssertionError("line '" + lines.text() + "': " + row.size() + " cells, Commons CSV "
                        + reference.size());
            }
            for (int c = 0; c < Math.min(row.size(), CsvLayout.COLUMNS.length); c++) {
                String cell = new String(row.bytes(), row.from(c), row.to(c) - row.from(c), StandardCharsets.UTF_8);
                if (!cell.equals(reference.get(c)) || row.isBlank(c) != cell.isEmpty()) {
                    throw new AssertionError("line '" + lines.text() + "' cell " + c + ": '" + cell
                            + "', Commons CSV '" + reference.get(c) + "'");
                }
            }
        }
    }

    private static CSVRecord commonsCsv(String line) {
        try (CSVParser parser = CSVParser.parse(line, CsvLayout.FORMAT)) {
            List<CSVRecord> records = parser.getRecords();
            if (records.size() != 1) {
                throw new AssertionError("line '" + line + "': Commons CSV reads " + records.size() + " records");
            }
            return records.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
