package dev.mmutrace.report.diff;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableBody;
import org.commonmark.ext.gfm.tables.TableHead;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.parser.Parser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PR comment read back as GitHub reads it: CommonMark with GFM tables. */
class DiffMarkdownTest {
    private static final Parser PARSER = Parser.builder().extensions(List.of(TablesExtension.create())).build();

    @TempDir
    Path dir;

    private DiffResult fixture() throws IOException {
        return ReportDiff.compare(DiffFixtures.base(dir), DiffFixtures.next(dir), ReportDiff.thresholds(List.of(), true));
    }

    @Test
    void verdictFirstThenRegressionsThenTheirFirstEventsThenTheRestFolded() throws IOException {
        Node doc = PARSER.parse(DiffMarkdown.write(fixture()));
        List<Node> blocks = new ArrayList<>();
        for (Node n = doc.getFirstChild(); n != null; n = n.getNext()) {
            blocks.add(n);
        }
        // Block 0 names the reports, block 1 is the verdict: 2 thresholds crossed, 4 metrics changed.
        assertThat(blocks.get(1)).isInstanceOf(Paragraph.class);
        assertThat(text(blocks.get(1))).isEqualTo("verdict: REGRESSION, 2 thresholds crossed (4 metrics changed)");
        List<TableBlock> tables = blocks.stream().filter(TableBlock.class::isInstance).map(TableBlock.class::cast)
                .toList();
        // The first table: the regressions, in report order (native before xen), with their thresholds.
        assertThat(rows(tables.get(0), TableHead.class)).containsExactly(
                List.of("metric", "model", "trace", "base", "new", "change", "threshold"));
        assertThat(rows(tables.get(0), TableBody.class)).containsExactly(
                List.of("flushes.missed", "native", "boot.csv", "0", "1", "+1 (new)", "flushes.missed=+0"),
                List.of("validation_failures.total", "xen", "boot.csv", "1", "3", "+2 (+200.0%)",
                        "validation_failures.total=+0"));
        // Then the first events: native's missed flush at event 7, new; xen's failures 3 (in the
        // base's list too), 9 and 10 (new).
        assertThat(rows(tables.get(1), TableBody.class)).containsExactly(
                List.of("7", "1", "used_stale", "vaddr 0x400000", "new"));
        assertThat(rows(tables.get(2), TableBody.class)).containsExactly(
                List.of("3", "0", "bad_l1_flags", "Bad L1 flags 80", "yes"),
                List.of("9", "1", "bad_l2_flags", "Bad L2 flags 80", "new"),
                List.of("10", "1", "bad_l2_flags", "Bad L2 flags 80", "new"));
        // Everything else inside <details>: the opening HTML block comes before the table of all 4
        // changes, the closing one after it.
        int open = indexOf(blocks, b -> b instanceof HtmlBlock h && h.getLiteral().startsWith("<details>"));
        int all = blocks.indexOf(tables.get(3));
        int close = indexOf(blocks, b -> b instanceof HtmlBlock h && h.getLiteral().startsWith("</details>"));
        assertThat(open).isGreaterThan(blocks.indexOf(tables.get(2))).isLessThan(all);
        assertThat(close).isGreaterThan(all);
        assertThat(rows(tables.get(3), TableBody.class)).hasSize(4);
    }

    @Test
    void aDiffTooLongForAPullRequestCommentIsCutWithANote() throws IOException {
        // 3,000 reasons of failure each going 1 -> 2 under xen: 3,001 changed metrics (the total
        // too), one of them (the total) a regression. Each folded row is ~110 characters, so the
        // whole would be ~330,000 characters.
        StringBuilder baseReasons = new StringBuilder();
        StringBuilder newReasons = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            baseReasons.append(i == 0 ? "" : ", ").append("\"reason_number_").append(i).append("\": 1");
            newReasons.append(i == 0 ? "" : ", ").append("\"reason_number_").append(i).append("\": 2");
        }
        Path a = report("a.json", 3000, baseReasons);
        Path b = report("b.json", 6000, newReasons);
        String md = DiffMarkdown.write(ReportDiff.compare(a, b, ReportDiff.thresholds(List.of(), true)));
        assertThat(md.length()).isLessThanOrEqualTo(DiffMarkdown.LIMIT);
        Node doc = PARSER.parse(md);
        List<TableBlock> tables = new ArrayList<>();
        doc.accept(new AbstractVisitor() {
            @Override
            public void visit(org.commonmark.node.CustomBlock block) {
                if (block instanceof TableBlock t) {
                    tables.add(t);
                }
            }
        });
        assertThat(rows(tables.get(0), TableBody.class)).containsExactly(List.of("validation_failures.total", "xen",
                "boot.csv", "3,000", "6,000", "+3,000 (+100.0%)", "validation_failures.total=+0"));
        int kept = rows(tables.get(1), TableBody.class).size();
        assertThat(kept).isBetween(100, 3000);
        assertThat(md).contains(String.format(java.util.Locale.ROOT, "%,d more changed metrics left out: a comment"
                + " holds at most 65,536 characters", 3001 - kept));
        assertThat(md).endsWith("</details>\n");
    }

    private Path report(String name, long total, CharSequence reasons) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, """
                {"format": "mmutrace-report/1", "trace": {"path": "boot.csv", "events": 100},
                 "models": {"xen": {"validation_failures": {"total": %d, "by_reason": {%s}}}}}
                """.formatted(total, reasons));
        return p;
    }

    private static int indexOf(List<Node> blocks, java.util.function.Predicate<Node> p) {
        for (int i = 0; i < blocks.size(); i++) {
            if (p.test(blocks.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The text a reader sees in {@code n}: its text and code spans, emphasis dropped. */
    private static String text(Node n) {
        StringBuilder out = new StringBuilder();
        n.accept(new AbstractVisitor() {
            @Override
            public void visit(org.commonmark.node.Text t) {
                out.append(t.getLiteral());
            }

            @Override
            public void visit(org.commonmark.node.Code c) {
                out.append(c.getLiteral());
            }

            @Override
            public void visit(org.commonmark.node.SoftLineBreak b) {
                out.append(' ');
            }
        });
        return out.toString().trim();
    }

    private static List<List<String>> rows(TableBlock table, Class<? extends Node> part) {
        List<List<String>> rows = new ArrayList<>();
        for (Node section = table.getFirstChild(); section != null; section = section.getNext()) {
            if (!part.isInstance(section)) {
                continue;
            }
            for (Node row = section.getFirstChild(); row != null; row = row.getNext()) {
                List<String> cells = new ArrayList<>();
                for (Node cell = row.getFirstChild(); cell != null; cell = cell.getNext()) {
                    cells.add(text(cell));
                }
                if (row instanceof TableRow) {
                    rows.add(cells);
                }
            }
        }
        return rows;
    }
}
