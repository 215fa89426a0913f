package dev.mmutrace.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/** The replay page parsed as a browser would: tables, chart data and notes. */
class HtmlReportTest {

    @Test
    void thePageIsSelfContainedAndDeterministic() {
        String page = HtmlReport.write(ReportFixtures.batch(2, 40));
        assertThat(page).isEqualTo(HtmlReport.write(ReportFixtures.batch(2, 40)));
        Document doc = Jsoup.parse(page);
        // Chart.js is inlined; nothing is fetched.
        assertThat(page).contains("Chart.js v4.5");
        assertThat(doc.select("script[src], link[href], img[src]")).isEmpty();
        assertThat(page).doesNotContain("sourceMappingURL");
        // Two traces: the summary, both traces' sections and their chart data blocks.
        assertThat(doc.select("h2").eachText()).containsExactly("Summary", "trace-0.csv", "trace-1.csv", "Cost table");
        assertThat(doc.getElementById("data-t0")).isNotNull();
        assertThat(doc.getElementById("data-t1")).isNotNull();
        // The scripted xen flavour refuses every set_pmd: the first is event 8 of the 9-event cycle.
        assertThat(doc.select("table.fail tr").get(1).select("td").eachText())
                .containsExactly("xen", "8", "0", "bad_l2_flags", "Bad L2 flags 80");
    }

    @Test
    void missedFlushesAndValidationFailuresAreChartedPerModel() throws Exception {
        JsonNode data = data(ReportFixtures.batch(1, 40), "t0");
        Map<String, JsonNode> charts = new HashMap<>();
        data.get("charts").forEach(c -> charts.put(c.get("id").asText(), c));
        assertThat(charts).containsKeys("t0-missed", "t0-failures", "t0-flushes", "t0-exits", "t0-hypercalls",
                "t0-shadow");
        // 40 events, automatic interval: at most 128 buckets, so one event each, 40 labels.
        assertThat(data.get("labels")).hasSize(40);
        // The scripted xen refuses every set_pmd (event 8 of each 9-event cycle: events 8, 17, 26,
        // 35) and lguest is killed at event 37 by a failure; native never fails. So the failures
        // series are all different: three datasets, one per model.
        JsonNode failures = charts.get("t0-failures").get("datasets");
        assertThat(failures).hasSize(3);
        JsonNode xen = dataset(failures, "xen");
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < xen.get("data").size(); i++) {
            if (xen.get("data").get(i).asLong() == 1) {
                at.add(i);
            }
        }
        assertThat(at).containsExactly(8, 17, 26, 35);
        // Axis titles say what is counted and per how much.
        assertThat(charts.get("t0-failures").get("y_title").asText()).isEqualTo("validation failures per event");
        assertThat(charts.get("t0-failures").get("x_title").asText()).isEqualTo("event (first event of each bucket of 1 event)");
    }

    @Test
    void eachModelKeepsOneColourInEveryChart() throws Exception {
        JsonNode data = data(ReportFixtures.batch(1, 40), "t0");
        Map<String, String> colourOf = new HashMap<>();
        for (JsonNode chart : data.get("charts")) {
            for (JsonNode d : chart.get("datasets")) {
                String model = d.get("models").get(0).asText();
                String previous = colourOf.putIfAbsent(model, d.get("colour").asText());
                assertThat(previous == null ? d.get("colour").asText() : previous).as(model)
                        .isEqualTo(d.get("colour").asText());
            }
        }
        assertThat(colourOf).containsOnlyKeys("native", "xen", "lguest");
        assertThat(colourOf.values()).doesNotHaveDuplicates();
    }

    @Test
    void identicalSeriesAreDrawnOnceAndSaidSo() throws Exception {
        Document doc = Jsoup.parse(HtmlReport.write(ReportFixtures.batch(1, 40)));
        JsonNode data = ReportJson.reader().readTree(doc.getElementById("data-t0").data());
        for (JsonNode chart : data.get("charts")) {
            List<String> notes = doc.getElementById(chart.get("id").asText()).parent().parent().select("p.note")
                    .eachText();
            // Within one chart and one count no two datasets have the same data, and every
            // dataset standing for several models has a note naming them.
            Map<String, List<String>> seen = new HashMap<>();
            for (JsonNode d : chart.get("datasets")) {
                List<String> models = new ArrayList<>();
                d.get("models").forEach(m -> models.add(m.asText()));
                String count = d.get("label").asText().substring(String.join(" = ", models).length());
                assertThat(seen.put(count + d.get("data"), models)).as(chart.get("id") + " " + d.get("label")).isNull();
                if (models.size() > 1) {
                    // "xen and lguest: identical ...", "native, xen and lguest: identical ..."
                    String last = models.get(models.size() - 1);
                    assertThat(notes).anySatisfy(n -> assertThat(n).startsWith(models.get(0)).contains(" and " + last
                            + ": identical"));
                }
            }
        }
        // The scripted models: native misses flushes (223 in 2,000 events, see TextReportTest), xen
        // and lguest never do, so their missed-flush series are the same zeros.
        assertThat(doc.select("p.note").eachText()).contains(
                "xen and lguest: identical missed flushes series, drawn once in xen's colour (none in any bucket)");
    }

    private static JsonNode data(ReportBatch batch, String trace) throws Exception {
        Element block = Jsoup.parse(HtmlReport.write(batch)).getElementById("data-" + trace);
        return ReportJson.reader().readTree(block.data());
    }

    private static JsonNode dataset(JsonNode datasets, String model) {
        for (JsonNode d : datasets) {
            if (d.get("models").toString().equals("[\"" + model + "\"]")) {
                return d;
            }
        }
        throw new AssertionError("no dataset of " + model + " alone in " + datasets);
    }
}
