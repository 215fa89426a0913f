package dev.mmutrace.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mmutrace.testmodel.TestModelCli;
import dev.mmutrace.trace.TraceInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportJsonTest {
    private static final Path DOC = Path.of("..", "docs", "report-format.md");
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\|");

    /** The key paths of the "JSON keys" table of docs/report-format.md. */
    private static Set<String> documentedKeys() throws IOException {
        Set<String> keys = new TreeSet<>();
        boolean inTable = false;
        for (String line : Files.readAllLines(DOC)) {
            if (line.startsWith("## ")) {
                inTable = line.equals("## JSON keys");
                continue;
            }
            Matcher m = ROW.matcher(line);
            if (inTable && m.find()) {
                keys.add(m.group(1));
            }
        }
        return keys;
    }

    /**
     * Every key path of a single report and of a batch of two, with names as they came, and of a
     * report of the test model, which declares counters of its own work (the keys no built-in
     * model has).
     */
    private static Set<String> reportKeys() throws IOException {
        Set<String> paths = new TreeSet<>();
        JsonPaths.collect(ReportJson.reader().readTree(ReportJson.write(ReportFixtures.batch(1, 40))), "", paths);
        JsonPaths.collect(ReportJson.reader().readTree(ReportJson.write(ReportFixtures.batch(2, 40))), "", paths);
        JsonPaths.collect(ReportJson.reader().readTree(TestModelCli.run("replay", "../sample-traces/boot-2level.csv",
                "--model", "cr3count", "--format", "json")), "", paths);
        // a trace with gaps fills trace.gaps.list and by_vcpu (GapReportTest works its figures out)
        JsonPaths.collect(ReportJson.reader().readTree(TestModelCli.run("replay", "src/test/resources/gaps/gap-mid-4level.csv",
                "--model", "native", "--format", "json")), "", paths);
        // a windowed run adds trace.window
        JsonPaths.collect(ReportJson.reader().readTree(TestModelCli.run("replay", "../sample-traces/boot-2level.csv",
                "--model", "cr3count", "--format", "json", "--from-event", "10", "--warm")), "", paths);
        return paths;
    }

    private static boolean matches(String pattern, String path) {
        String[] p = pattern.split("\\.");
        String[] k = path.split("\\.");
        if (p.length != k.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            boolean any = p[i].equals("*") || p[i].equals("*[]") && k[i].endsWith("[]");
            if (!any && !p[i].equals(k[i])) {
                return false;
            }
        }
        return true;
    }

    /** A batch's reports[].models.X is documented once as models.X; likewise for trace. */
    private static String unbatched(String path) {
        return path.startsWith("reports[].models.") || path.startsWith("reports[].trace.")
                ? path.substring("reports[].".length()) : path;
    }

    @Test
    void everyKeyOfARealReportIsDocumented() throws IOException {
        Set<String> documented = documentedKeys();
        List<String> undocumented = reportKeys().stream()
                .filter(k -> documented.stream().noneMatch(d -> matches(d, unbatched(k))))
                .toList();
        assertThat(undocumented).isEmpty();
    }

    @Test
    void everyDocumentedKeyIsInARealReport() throws IOException {
        Set<String> real = reportKeys();
        List<String> missing = documentedKeys().stream()
                .filter(d -> real.stream().noneMatch(k -> matches(d, unbatched(k)) || matches(d, k)))
                .toList();
        assertThat(missing).isEmpty();
    }

    @Test
    void theSameBatchGivesTheSameBytes() {
        assertThat(ReportJson.write(ReportFixtures.batch(2, 40))).isEqualTo(ReportJson.write(ReportFixtures.batch(2, 40)));
    }

    @Test
    void keysAreSortedAtEveryLevel() throws IOException {
        JsonNode root = ReportJson.reader().readTree(ReportJson.write(ReportFixtures.batch(2, 30)));
        assertSorted(root);
    }

    private static void assertSorted(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new java.util.ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            assertThat(names).isSorted();
            node.elements().forEachRemaining(ReportJsonTest::assertSorted);
        } else if (node.isArray()) {
            node.elements().forEachRemaining(ReportJsonTest::assertSorted);
        }
    }

    @Test
    void oneTraceIsASingleReportAndSeveralAreABatch() throws IOException {
        JsonNode one = ReportJson.reader().readTree(ReportJson.write(ReportFixtures.batch(1, 20)));
        assertThat(one.get("format").asText()).isEqualTo("mmutrace-report/1");
        assertThat(one.has("trace")).isTrue();
        assertThat(one.has("reports")).isFalse();
        JsonNode two = ReportJson.reader().readTree(ReportJson.write(ReportFixtures.batch(2, 20)));
        assertThat(two.get("reports")).hasSize(2);
        // Input order: trace-0 has 20 events, trace-1 21.
        assertThat(two.get("reports").get(1).get("trace").get("events").asLong()).isEqualTo(21);
        assertThat(two.get("summary").get("traces").asLong()).isEqualTo(2);
    }

    @Test
    void aLongBadTokenIsQuotedToEightyCharacters(@TempDir Path dir) throws IOException {
        // found by fuzzing the diff's report reader: Jackson's message quoted 256 characters of a bad token
        Path p = dir.resolve("r.json");
        Files.writeString(p, "{\"format\": " + "O".repeat(300) + "}");
        assertThatThrownBy(() -> ReportJson.readTree(p))
                .isInstanceOf(TraceInputException.class)
                .hasMessageStartingWith(p + ": line 1: not valid JSON: Unrecognized token '" + "O".repeat(80))
                .hasMessageNotContaining("O".repeat(81));
    }
}
