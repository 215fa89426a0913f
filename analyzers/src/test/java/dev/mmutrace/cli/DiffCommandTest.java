package dev.mmutrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffCommandTest {
    @TempDir
    Path dir;

    /**
     * A minimal single report: one trace, model xen with 6 wasted flushes of 10, 2 validation
     * failures and 100000 estimated cycles.
     */
    private Path report(String name, long wasted, long failures, long cycles) throws IOException {
        String json = """
                {
                  "format": "mmutrace-report/1",
                  "trace": {"path": "boot.csv", "events": 100},
                  "models": {
                    "xen": {
                      "estimated_cycles": %d,
                      "flushes": {"total": 10, "wasted": %d, "missed": 0},
                      "validation_failures": {"total": %d, "first": [{"event": 3}]},
                      "series": {"interval": 4, "buckets": [{"flushes": 9}]}
                    }
                  }
                }
                """.formatted(cycles, wasted, failures);
        Path p = dir.resolve(name);
        Files.writeString(p, json);
        return p;
    }

    @Test
    void identicalReportsAreNoRegression() throws IOException {
        Path a = report("a.json", 6, 2, 100_000);
        CliRunner r = CliRunner.run("diff", a.toString(), a.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("verdict: ok, no threshold crossed (0 metrics changed)");
    }

    @Test
    void wastedFlushesUpMoreThanFivePercentIsARegression() throws IOException {
        // 6 -> 7 wasted flushes is +16.7%, beyond the default +5%.
        CliRunner r = CliRunner.run("diff", report("a.json", 6, 2, 100_000).toString(),
                report("b.json", 7, 2, 100_000).toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("flushes.wasted").contains("+1 (+16.7%)").contains("REGRESSION flushes.wasted=+5%")
                .contains("verdict: REGRESSION, 1 threshold crossed (1 metrics changed)");
    }

    @Test
    void aLooserUserThresholdReplacesTheDefault() throws IOException {
        CliRunner r = CliRunner.run("diff", report("a.json", 6, 2, 100_000).toString(),
                report("b.json", 7, 2, 100_000).toString(), "--threshold", "flushes.wasted=+20%");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("flushes.wasted").doesNotContain("REGRESSION");
    }

    @Test
    void anyNewValidationFailureIsARegressionButSmallCycleDriftIsNot() throws IOException {
        // Cycles 100000 -> 104000 is +4%, under +5%; failures 2 -> 3 crosses +0.
        CliRunner r = CliRunner.run("diff", report("a.json", 6, 2, 100_000).toString(),
                report("b.json", 6, 3, 104_000).toString(), "--format", "markdown");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("| `boot.csv` | xen | `estimated_cycles` | 100000 | 104000 | +4000 | +4.0% |  |")
                .contains("| `boot.csv` | xen | `validation_failures.total` | 2 | 3 | +1 | +50.0% | **regression**");
    }

    @Test
    void listsAreNotMetrics() throws IOException {
        Path a = report("a.json", 6, 2, 100_000);
        ObjectNode tree = (ObjectNode) dev.mmutrace.report.ReportJson.reader().readTree(a.toFile());
        ((ObjectNode) tree.at("/models/xen/series/buckets/0")).put("flushes", 1000);
        Path b = dir.resolve("b.json");
        Files.writeString(b, tree.toString());
        assertThat(CliRunner.run("diff", a.toString(), b.toString()).exit()).isZero();
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws IOException {
        Path a = report("a.json", 6, 2, 100_000);
        Path junk = dir.resolve("junk.json");
        Files.writeString(junk, "{ not json");
        Path other = dir.resolve("other.json");
        Files.writeString(other, "{\"hello\": 1}");
        for (String[] args : new String[][] {
                {"diff", a.toString(), junk.toString()},
                {"diff", a.toString(), other.toString()},
                {"diff", a.toString(), dir.resolve("missing.json").toString()},
                {"diff", a.toString(), a.toString(), "--threshold", "flushes.wasted=5%"},
                {"diff", a.toString(), a.toString(), "--format", "pdf"},
                {"diff", a.toString()}}) {
            CliRunner r = CliRunner.run(args);
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().lines()).as(String.join(" ", args)).hasSize(1);
            assertThat(r.out()).isEmpty();
        }
    }
}
