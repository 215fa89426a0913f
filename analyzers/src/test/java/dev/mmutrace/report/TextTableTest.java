package dev.mmutrace.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextTableTest {

    /** The issue's own line: counts of seven and eight digits ran together in fixed columns. */
    @Test
    void columnsAreAsWideAsTheirWidestCellSoFiguresNeverTouch() {
        StringBuilder out = new StringBuilder();
        new TextTable(1)
                .row(List.of("", "native", "xen"))
                .row(List.of("  needed / wasted", "1,603,705 / 4,130,285", "1,603,705 / 19,112,977"))
                .row(List.of("missed", "0", "12"))
                .appendTo(out);
        // Widths: label column 17 ("  needed / wasted"); native 21, xen 22; two spaces between, so
        // "native" ends at column 17 + 2 + 21 = 40 (34 spaces before it), "xen" 2 + 22 - 3 = 21 spaces after.
        assertThat(out.toString()).isEqualTo(
                "                                  native                     xen\n"
                + "  needed / wasted  1,603,705 / 4,130,285  1,603,705 / 19,112,977\n"
                + "missed                                 0                      12\n");
    }

    @Test
    void leadingNameColumnsAreLeftAligned() {
        StringBuilder out = new StringBuilder();
        new TextTable(2).row(List.of("summary", "model", "events")).row(List.of("a.csv", "lguest", "1,000")).appendTo(out);
        assertThat(out.toString()).isEqualTo("summary  model   events\na.csv    lguest   1,000\n");
    }
}
