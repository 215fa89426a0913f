package dev.mmutrace.trace.io;

import dev.mmutrace.trace.text.ByteScan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * One row of a CSV trace as cells that are ranges of bytes, so no {@code String} is made for a
 * cell unless a message needs one. A row without a {@code "} is split at its commas here: under
 * RFC 4180 such a row's cells are exactly the text between its commas. A row with a quote goes
 * to Commons CSV, the one parser of quoting, and its cells are copied in as UTF-8.
 *
 * <p>The subtle thing: the ranges point into the line's buffer, so they hold only until the next
 * line is read.
 */
final class CsvRow {
    private final int[] from = new int[CsvLayout.COLUMNS.length];
    private final int[] to = new int[CsvLayout.COLUMNS.length];
    private byte[] bytes;
    private int size;
    private int filled; // a bit per column whose cell is not blank
    private byte[] unquoted = new byte[256];

    /** Splits {@code b[start, end)} at its commas; false, with nothing split, when it holds a quote. */
    boolean split(byte[] b, int start, int end) {
        int n = 0;
        int cell = start;
        int nonBlank = 0;
        for (int i = start; i < end; i++) {
            byte c = b[i];
            if (c == ',') {
                nonBlank |= add(n++, cell, i);
                cell = i + 1;
            } else if (c == '"') {
                return false;
            }
        }
        nonBlank |= add(n++, cell, end);
        bytes = b;
        size = n;
        filled = nonBlank;
        return true;
    }

    /**
     * Parses {@code text}, one line holding a quote, with Commons CSV.
     *
     * @throws IOException for malformed quoting, in words that fit a message about one line (Commons
     *     CSV counts lines of its own input, always 1 here)
     */
    void parseQuoted(String text) throws IOException {
        List<CSVRecord> records;
        try (CSVParser parser = CSVParser.parse(text, CsvLayout.FORMAT)) {
            records = parser.getRecords();
        } catch (IOException | UncheckedIOException e) {
            if (text.chars().filter(c -> c == '"').count() % 2 != 0) {
                // no cell of a trace holds a line break, so a quoted one must close on its line
                throw new IOException("a quoted cell is not closed before the end of the line");
            }
            Throwable why = e instanceof UncheckedIOException ? e.getCause() : e;
            throw new IOException(why.getMessage().replaceFirst("^\\(startline \\d+\\) ", "")
                    .replaceFirst(" at line: \\d+, position: (\\d+)", " at character $1"));
        }
        CSVRecord r = records.get(0); // a line without a line break is one record
        int at = 0;
        int nonBlank = 0;
        for (int c = 0; c < r.size(); c++) {
            byte[] cell = r.get(c).getBytes(StandardCharsets.UTF_8);
            if (unquoted.length < at + cell.length) {
                unquoted = Arrays.copyOf(unquoted, Math.max(2 * unquoted.length, at + cell.length));
            }
            System.arraycopy(cell, 0, unquoted, at, cell.length);
            nonBlank |= add(c, at, at + cell.length);
            at += cell.length;
        }
        bytes = unquoted;
        size = r.size();
        filled = nonBlank;
    }

    /**
     * Records cell {@code n} when the layout has a column for it (a longer row only counts its
     * cells); returns the cell's bit for {@link #filled}, 0 when it is blank or has no column.
     */
    private int add(int n, int cellFrom, int cellTo) {
        if (n >= from.length) {
            return 0;
        }
        from[n] = cellFrom;
        to[n] = cellTo;
        return cellFrom < cellTo ? 1 << n : 0;
    }

    int size() {
        return size;
    }

    /** A bit per column (bit {@code c} for column {@code c}) whose cell is not blank. */
    int filled() {
        return filled;
    }

    boolean isBlank(int column) {
        return (filled & (1 << column)) == 0;
    }

    byte[] bytes() {
        return bytes;
    }

    int from(int column) {
        return from[column];
    }

    int to(int column) {
        return to[column];
    }

    /** Whether the cell is exactly {@code word} (ASCII). */
    boolean is(int column, String word) {
        return to[column] - from[column] == word.length()
                && ByteScan.startsWith(bytes, from[column], to[column], word);
    }

    /** The cell as text, for messages. */
    String text(int column) {
        return new String(bytes, from[column], to[column] - from[column], StandardCharsets.UTF_8);
    }
}
