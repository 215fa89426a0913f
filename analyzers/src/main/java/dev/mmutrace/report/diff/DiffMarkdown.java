package dev.mmutrace.report.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A diff as a pull-request comment (GitHub-flavoured Markdown): the verdict line, the regressions
 * (metric, model, base, new, change, threshold), the first events that show each new validation
 * failure or missed flush, then everything else folded in {@code <details>}. A comment holds at
 * most {@value #LIMIT} characters, so when the whole would not fit, rows of the folded table (and,
 * if need be, of the regressions) are left out and a note says how many.
 */
public final class DiffMarkdown {
    /** GitHub's limit on a comment's body. */
    public static final int LIMIT = 65_536;
    /** First events shown per cause; the HTML page shows the whole first-N list. */
    static final int FIRST_SHOWN = 5;

    private DiffMarkdown() {
    }

    public static String write(DiffResult d) {
        List<Regression> regressions = Regression.of(d);
        String head = "**mmutrace diff** " + code(d.basePath()) + " → " + code(d.newPath()) + "\n\n**"
                + DiffRender.verdict(d) + "**\n";
        List<String> regressionRows = new ArrayList<>();
        for (Regression r : regressions) {
            MetricChange c = r.change();
            regressionRows.add(row(code(c.metric()), c.model(), code(c.trace()), n(c.base()), n(c.next()),
                    DiffRender.change(c), code(c.crossed().orElseThrow().toString())));
        }
        String causes = causes(regressions);
        List<String> changeRows = new ArrayList<>();
        for (MetricChange c : d.changes()) {
            changeRows.add(row(code(c.trace()), c.model(), code(c.metric()), n(c.base()), n(c.next()),
                    DiffRender.change(c), c.crossed().map(t -> "**regression** " + code(t.toString())).orElse("")));
        }
        StringBuilder tail = new StringBuilder();
        if (!d.unmatched().isEmpty()) {
            tail.append("\nFound in one report only:\n\n");
            d.unmatched().forEach(u -> tail.append("- ").append(cell(u)).append('\n'));
        }
        tail.append("\nThresholds: ")
                .append(String.join(", ", d.thresholds().stream().map(t -> code(t.toString())).toList())).append('\n');
        String tailText = tail.toString() + "\n</details>\n";

        String regressionHeader = regressions.isEmpty() ? ""
                : "\n### Regressions\n\n| metric | model | trace | base | new | change | threshold |\n"
                        + "|---|---|---|---:|---:|---:|---|\n";
        String detailsHeader = "\n<details><summary>All " + d.changes().size() + " changed metrics, unmatched traces"
                + " and models, thresholds</summary>\n\n"
                + (changeRows.isEmpty() ? "" : "| trace | model | metric | base | new | change | verdict |\n"
                        + "|---|---|---|---:|---:|---:|---|\n");
        String full = head + regressionHeader + String.join("", regressionRows) + causes + detailsHeader
                + String.join("", changeRows) + tailText;
        if (full.length() <= LIMIT) {
            return full;
        }
        // Too long: keep the verdict, the regressions and their causes; fold in as many changed
        // metrics as fit, and say how many were left out.
        int fixed = head.length() + regressionHeader.length() + String.join("", regressionRows).length()
                + causes.length() + detailsHeader.length() + tailText.length();
        if (fixed + cutNote(changeRows.size(), "changed metrics").length() <= LIMIT) {
            int budget = LIMIT - fixed - cutNote(changeRows.size(), "changed metrics").length();
            StringBuilder kept = new StringBuilder();
            int n = 0;
            for (String r : changeRows) {
                if (kept.length() + r.length() > budget) {
                    break;
                }
                kept.append(r);
                n++;
            }
            return head + regressionHeader + String.join("", regressionRows) + causes + detailsHeader + kept
                    + cutNote(changeRows.size() - n, "changed metrics") + tailText;
        }
        // Even the regressions do not fit: as many of them as fit, nothing folded.
        String note = cutNote(regressionRows.size(), "regressions");
        String end = "\nThe first events and the other changed metrics are left out too.\n";
        int budget = LIMIT - head.length() - regressionHeader.length() - note.length() - end.length();
        StringBuilder kept = new StringBuilder();
        int n = 0;
        for (String r : regressionRows) {
            if (kept.length() + r.length() > budget) {
                break;
            }
            kept.append(r);
            n++;
        }
        return head + regressionHeader + kept + cutNote(regressionRows.size() - n, "regressions") + end;
    }

    private static String cutNote(int leftOut, String what) {
        return String.format(Locale.ROOT, "\n*%,d more %s left out: a comment holds at most %,d characters;"
                + " `mmutrace diff --format html` shows them all.*\n", leftOut, what, LIMIT);
    }

    private static String causes(List<Regression> regressions) {
        StringBuilder out = new StringBuilder();
        for (Regression.Cause c : Regression.causes(regressions)) {
            out.append("\n**").append(c.model()).append("** on ").append(code(c.trace())).append(": first ")
                    .append(c.kind()).append(" of the new report");
            if (c.rows().isEmpty()) {
                out.append(": the report lists none (made before first-event lists were kept).\n");
                continue;
            }
            long fresh = c.rows().stream().filter(r -> !r.inBase()).count();
            out.append(" (").append(fresh).append(" of ").append(c.rows().size())
                    .append(" not in the base report's list)\n\n| event | vCPU | what | detail | in base |\n|---:|---:|---|---|---|\n");
            c.rows().stream().limit(FIRST_SHOWN).forEach(r -> out.append(row(n(r.event().event()),
                    String.valueOf(r.event().cpu()), code(r.event().what()), cell(r.event().detail()),
                    r.inBase() ? "yes" : "**new**")));
            if (c.rows().size() > FIRST_SHOWN) {
                out.append("\n").append(c.rows().size() - FIRST_SHOWN).append(" more in the report's list.\n");
            }
        }
        return out.toString();
    }

    private static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    private static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** Text safe in a table cell: pipes escaped, nothing taken for HTML. */
    private static String cell(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", " ");
    }

    /** A code span, in a table cell too; text with a backtick is left plain. */
    private static String code(String s) {
        String safe = s.replace("|", "\\|").replace("\n", " ");
        return s.contains("`") ? cell(s) : "`" + safe + "`";
    }
}
