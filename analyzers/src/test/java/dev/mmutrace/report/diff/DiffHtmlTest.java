package dev.mmutrace.report.diff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mmutrace.report.ReportJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The diff page parsed as a browser would: verdict, tables and chart data (see DiffFixtures). */
class DiffHtmlTest {
    @TempDir
    Path dir;

    private Document page() throws IOException {
        DiffResult d = ReportDiff.compare(DiffFixtures.base(dir), DiffFixtures.next(dir),
                ReportDiff.thresholds(List.of(), true));
        return Jsoup.parse(DiffHtml.write(d));
    }

    @Test
    void theVerdictComesFirstThenTheRegressions() throws IOException {
        Document doc = page();
        Element verdict = doc.getElementById("verdict");
        assertThat(verdict.text()).isEqualTo("verdict: REGRESSION, 2 thresholds crossed (4 metrics changed)");
        assertThat(verdict.hasClass("regression")).isTrue();
        // Nothing but the title and the report names before the verdict.
        assertThat(doc.body().children().indexOf(verdict)).isEqualTo(2);
        assertThat(rows(doc.getElementById("regressions"))).containsExactly(
                List.of("metric", "model", "trace", "base", "new", "change", "threshold"),
                List.of("flushes.missed", "native", "boot.csv", "0", "1", "+1 (new)", "flushes.missed=+0"),
                List.of("validation_failures.total", "xen", "boot.csv", "1", "3", "+2 (+200.0%)",
                        "validation_failures.total=+0"));
    }

    @Test
    void eachNewFailureOrMissedFlushShowsItsFirstEvents() throws IOException {
        Document doc = page();
        List<String> headings = doc.select("h3.cause").eachText();
        assertThat(headings).containsExactly("First missed flushes of native on boot.csv in the new report",
                "First validation failures of xen on boot.csv in the new report");
        List<Element> tables = doc.select("table.first-events");
        assertThat(rows(tables.get(0))).containsExactly(List.of("event", "vCPU", "what", "detail", "base report"),
                List.of("7", "1", "used_stale", "vaddr 0x400000", "new"));
        assertThat(rows(tables.get(1)).subList(1, 4)).containsExactly(
                List.of("3", "0", "bad_l1_flags", "Bad L1 flags 80", "in base too"),
                List.of("9", "1", "bad_l2_flags", "Bad L2 flags 80", "new"),
                List.of("10", "1", "bad_l2_flags", "Bad L2 flags 80", "new"));
    }

    @Test
    void chartsAddEachRegressedMetricUpOverTheTraceBaseAgainstNew() throws IOException {
        Document doc = page();
        JsonNode data = ReportJson.reader().readTree(doc.getElementById("chart-data").data());
        JsonNode charts = data.get("charts");
        assertThat(charts).hasSize(2);
        // native missed flushes per bucket (4 events) base [0,0,0], new [0,1,0]: so far at events
        // 0, 4, 8, 12 base 0,0,0,0 and new 0,0,1,1.
        assertThat(charts.get(0).get("model").asText()).isEqualTo("native");
        assertThat(charts.get(0).get("base").toString()).isEqualTo("[[0,0],[4,0],[8,0],[12,0]]");
        assertThat(charts.get(0).get("next").toString()).isEqualTo("[[0,0],[4,0],[8,1],[12,1]]");
        // xen failures per bucket base [1,0,0], new [1,0,2]: base 0,1,1,1 and new 0,1,1,3; the
        // last points are the table's 1 and 3.
        assertThat(charts.get(1).get("base").toString()).isEqualTo("[[0,0],[4,1],[8,1],[12,1]]");
        assertThat(charts.get(1).get("next").toString()).isEqualTo("[[0,0],[4,1],[8,1],[12,3]]");
        assertThat(charts.get(1).get("x_title").asText()).isEqualTo("events replayed so far");
        assertThat(charts.get(1).get("y_title").asText()).isEqualTo("validation_failures.total so far (count)");
        // Each model keeps its colour: native's chart and native's table row agree, and differ from xen's.
        assertThat(charts.get(0).get("colour").asText()).isNotEqualTo(charts.get(1).get("colour").asText());
        assertThat(doc.select("#regressions .swatch").first().attr("style"))
                .contains(charts.get(0).get("colour").asText());
        for (JsonNode c : charts) {
            assertThat(doc.getElementById(c.get("id").asText()).tagName()).isEqualTo("canvas");
        }
    }

    @Test
    void everythingElseIsFoldedAndThePageNeedsNoNetwork() throws IOException {
        Document doc = page();
        Element details = doc.getElementById("everything");
        assertThat(details.tagName()).isEqualTo("details");
        assertThat(details.hasAttr("open")).isFalse();
        assertThat(rows(details.getElementById("changes"))).hasSize(5);
        assertThat(details.select("#thresholds li").eachText()).contains("validation_failures.total=+0",
                "flushes.missed=+0");
        assertThat(doc.select("script[src], link[href], img[src]")).isEmpty();
        assertThat(doc.select("script").eachAttr("src")).isEmpty();
        assertThat(doc.html()).contains("Chart.js v4.5");
    }

    private static List<List<String>> rows(Element table) {
        List<List<String>> rows = new ArrayList<>();
        for (Element tr : table.select("tr")) {
            rows.add(tr.select("th, td").eachText());
        }
        return rows;
    }
}
