package dev.mmutrace.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A table for a terminal: the leading name columns left-aligned, the figures right-aligned, each as wide
 * as its widest cell (header included) plus a gap, so no two figures ever touch however large they
 * grow.
 */
final class TextTable {
    private static final int GAP = 2;

    private final int nameColumns;
    private final List<List<String>> rows = new ArrayList<>();

    /** A table whose first {@code nameColumns} columns hold names, the rest figures. */
    TextTable(int nameColumns) {
        this.nameColumns = nameColumns;
    }

    /** Adds a row; rows may differ in length, missing cells are blank. */
    TextTable row(List<String> cells) {
        rows.add(List.copyOf(cells));
        return this;
    }

    void appendTo(StringBuilder out) {
        List<Integer> widths = new ArrayList<>();
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                int w = row.get(i).length();
                if (i == widths.size()) {
                    widths.add(w);
                } else if (w > widths.get(i)) {
                    widths.set(i, w);
                }
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                if (i < nameColumns) {
                    line.append(i == 0 ? "" : " ".repeat(GAP)).append(cell)
                            .append(" ".repeat(widths.get(i) - cell.length()));
                } else {
                    line.append(" ".repeat(GAP + widths.get(i) - cell.length())).append(cell);
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
