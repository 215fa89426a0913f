package dev.mmutrace.testmodel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model the analyzers and reports have never heard of ({@link Cr3CountFactory}) reports its own
 * work in every output format: JSON (its {@code work}, series, cost items, cost table and remark),
 * text and HTML (a figures row per counter), the CSV series (a {@code work.NAME} column) and the
 * per-event log. Nothing outside this package names it.
 *
 * <p>Expected values, counted in sample-traces/boot-2level.csv by hand: 48 events, of which 4 are
 * {@code write_cr3} (events 12, 17, 35 and 42, counting from 0) and 3 are {@code pin}. So cr3_loads = 4 at 300 cycles each (the model's own price) = 1,200 cycles, and
 * pinned_tables = 3 charged as hypercalls at the table's 2,000 = 6,000 cycles; the model observes
 * nothing else, so every other cost item counts 0 and the estimate is 7,200 cycles.
 */
class OwnWorkTest {
    private static final String TRACE = "../sample-traces/boot-2level.csv";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void jsonHasTheCountersTheirSeriesTheirCostAndTheRemark() throws IOException {
        JsonNode report = JSON.readTree(
                TestModelCli.run("replay", TRACE, "--model", "cr3count,native", "--format", "json"));
        JsonNode m = report.path("models").path("cr3count");
        assertThat(m.path("work").path("cr3_loads").asLong()).isEqualTo(4);
        assertThat(m.path("work").path("pinned_tables").asLong()).isEqualTo(3);
        assertThat(m.path("cost").path("cr3_load").path("count").asLong()).isEqualTo(4);
        assertThat(m.path("cost").path("cr3_load").path("cycles").asLong()).isEqualTo(1_200);
        assertThat(m.path("cost").path("hypercall").path("count").asLong()).isEqualTo(3);
        assertThat(m.path("estimated_cycles").asLong()).isEqualTo(7_200);
        assertThat(report.path("cost_table").path("cr3_load").asLong()).isEqualTo(300);
        assertThat(m.path("remarks").get(0).path("key").asText()).isEqualTo("cr3count.counts_only");
        long inSeries = 0;
        for (JsonNode bucket : m.path("series").path("buckets")) {
            inSeries += bucket.path("work").path("cr3_loads").asLong();
        }
        assertThat(inSeries).isEqualTo(4);
        // a model without counters of its own gets no work section, as in every report before
        assertThat(report.path("models").path("native").has("work")).isFalse();
        assertThat(report.path("models").path("native").path("series").path("buckets").get(0).has("work")).isFalse();
    }

    @Test
    void textAndHtmlShowARowPerCounter() throws IOException {
        // the text table: label, then one column per model (cr3count after native, as an unknown name)
        List<String> rows = TestModelCli.run("replay", TRACE, "--model", "cr3count,native").lines().toList();
        assertThat(rows).anySatisfy(l -> assertThat(l).matches("cr3_loads\\s+-\\s+4\\s*"));
        assertThat(rows).anySatisfy(l -> assertThat(l).matches("pinned_tables\\s+-\\s+3\\s*"));
        TestModelCli.run("replay", TRACE, "--model", "cr3count", "--format", "html", "--out", dir.toString());
        String html = Files.readString(dir.resolve("report.html"), StandardCharsets.UTF_8);
        assertThat(html).contains("cr3_loads", "pinned_tables", "cr3count.counts_only");
    }

    @Test
    void csvSeriesHasAColumnPerCounter() throws IOException {
        TestModelCli.run("replay", TRACE, "--model", "cr3count,native", "--format", "csv", "--out", dir.toString());
        List<String> lines = Files.readAllLines(dir.resolve("boot-2level.csv"), StandardCharsets.UTF_8);
        List<String> header = List.of(lines.get(0).split(","));
        int loads = header.indexOf("work.cr3_loads");
        assertThat(loads).isPositive();
        long total = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            if (cells[1].equals("cr3count")) {
                total += Long.parseLong(cells[loads]);
            } else {
                assertThat(cells[loads]).isEmpty(); // native has no such counter
            }
        }
        assertThat(total).isEqualTo(4);
    }

    @Test
    void eventLogHasEachCount() throws IOException {
        Path log = dir.resolve("events.jsonl");
        TestModelCli.run("replay", TRACE, "--model", "cr3count", "--format", "json", "--events-log", log.toString());
        long loads = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains("\"type\":\"work\",") && l.contains("\"counter\":\"cr3_loads\",\"count\":1"))
                .count();
        assertThat(loads).isEqualTo(4);
    }

    @Test
    void theModelsCostKeyCanBeOverridden() throws IOException {
        Path costs = dir.resolve("costs.properties");
        Files.writeString(costs, "cr3_load=10\n");
        JsonNode m = JSON.readTree(TestModelCli.run("replay", TRACE, "--model", "cr3count", "--format", "json", "--costs",
                costs.toString())).path("models").path("cr3count");
        // 4 loads at 10 + 3 pins at 2,000
        assertThat(m.path("estimated_cycles").asLong()).isEqualTo(6_040);
    }
}
