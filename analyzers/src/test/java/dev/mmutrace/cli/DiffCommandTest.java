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
        assertThat(r.out()).contains("| `boot.csv` | xen | `estimated_cycles` | 100,000 | 104,000 | +4,000 (+4.0%) |  |")
                .contains("| `boot.csv` | xen | `validation_failures.total` | 2 | 3 | +1 (+50.0%) | **regression**");
    }

    @Test
    void theHtmlPageGoesToOutAndTheExitStillSaysRegression() throws IOException {
        Path page = dir.resolve("diff.html");
        CliRunner r = CliRunner.run("diff", report("a.json", 6, 2, 100_000).toString(),
                report("b.json", 6, 3, 104_000).toString(), "--format", "html", "--out", page.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(org.jsoup.Jsoup.parse(Files.readString(page)).getElementById("verdict").text())
                .isEqualTo("verdict: REGRESSION, 1 threshold crossed (2 metrics changed)");
        // The output is never one of the inputs.
        CliRunner over = CliRunner.run("diff", dir.resolve("a.json").toString(), dir.resolve("b.json").toString(),
                "--format", "html", "--out", dir.resolve("a.json").toString());
        assertThat(over.exit()).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("a.json"))).startsWith("{");
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

    @Test
    void aThresholdOnAMetricNoReportHoldsIsExitTwoNamingTheKnownOnes() throws IOException {
        // The fixture's xen model has flushes.total, flushes.wasted and flushes.missed.
        assertFailsClosed("--threshold flushes.wased=+0: no metric 'flushes.wased' in the reports (known under"
                + " flushes: flushes.missed, flushes.total, flushes.wasted)", "--threshold", "flushes.wased=+0");
        assertFailsClosed("--threshold wasted=+0: no metric 'wasted' in the reports (metrics begin with"
                + " estimated_cycles, flushes, series, validation_failures)", "--threshold", "wasted=+0");
    }

    @Test
    void theKnownMetricsOfARealReportFitOnTheLineOneLevelDown() {
        // The buggy-guest sample's flushes group (sample-traces/buggy-guest-2level.report.json):
        // by_kind.*, by_origin.*, missed_by.* (native) fold to one entry each; the rest are leaves.
        Path report = Path.of("..", "sample-traces", "buggy-guest-2level.report.json");
        CliRunner r = CliRunner.run("diff", report.toString(), report.toString(), "--threshold", "flushes.wased=+0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("mmutrace: --threshold flushes.wased=+0: no metric 'flushes.wased' in"
                + " the reports (known under flushes: flushes.by_kind.*, flushes.by_origin.*, flushes.missed,"
                + " flushes.missed_by.*, flushes.needed, flushes.over_broad, flushes.stale_removed, flushes.total,"
                + " flushes.wasted)");
    }

    @Test
    void aThresholdOnAModelNoReportHoldsIsExitTwoNamingTheModels() throws IOException {
        assertFailsClosed("--threshold lgeust:exits.total=+0: no model 'lgeust' in the reports (they hold xen)",
                "--threshold", "lgeust:exits.total=+0");
    }

    @Test
    void anUnknownReportVersionIsExitTwo() throws IOException {
        assertBrokenReport(text -> text.replace("mmutrace-report/1", "mmutrace-report/9"),
                ": report format 'mmutrace-report/9' is not one this build reads (mmutrace-report/1)");
    }

    @Test
    void dataAfterTheReportIsExitTwo() throws IOException {
        // The fixture is 12 lines ending in a newline; the second document starts on line 13.
        assertBrokenReport(text -> text + "{\"format\": \"mmutrace-report/1\"}\n",
                ": line 13: more after the report's closing brace (a report file holds exactly one JSON report)");
    }

    @Test
    void aStringWhereACountBelongsIsExitTwoNotZero() throws IOException {
        assertBrokenReport(text -> text.replace("\"wasted\": 7", "\"wasted\": \"7\""),
                ": 'models.xen.flushes.wasted' must be a whole number, got '\"7\"'");
        assertBrokenReport(text -> text.replace("\"wasted\": 7", "\"wasted\": 7.5"),
                ": 'models.xen.flushes.wasted' must be a whole number, got '7.5'");
    }

    @Test
    void aCountBeyond64BitsIsExitTwoNotWrapped() throws IOException {
        // 26 digits: 12345678901234567890123456 > 2^63 - 1 = 9223372036854775807; as a long it would wrap.
        assertBrokenReport(text -> text.replace("\"wasted\": 7", "\"wasted\": 12345678901234567890123456"),
                ": 'models.xen.flushes.wasted' must be a whole number within 64 bits, got '12345678901234567890123456'");
    }

    @Test
    void aModelThresholdReplacesTheDefaultForThatModelOnly() throws IOException {
        // Two models with the same figures: wasted 6 -> 7 is +16.7%. xen:flushes.wasted=+50% lets
        // xen pass; lguest keeps the default flushes.wasted=+5% and is the one regression.
        Path a = twoModels(report("a.json", 6, 2, 100_000));
        Path b = twoModels(report("b.json", 7, 2, 100_000));
        CliRunner r = CliRunner.run("diff", a.toString(), b.toString(), "--threshold", "xen:flushes.wasted=+50%");
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).contains("verdict: REGRESSION, 1 threshold crossed (2 metrics changed)");
        assertThat(r.out().lines().filter(l -> l.contains("REGRESSION flushes.wasted=+5%"))).hasSize(1);
        assertThat(r.out()).containsPattern("  lguest\n    flushes.wasted .* REGRESSION flushes.wasted=\\+5%\n");
        assertThat(r.out()).doesNotContain("xen:flushes.wasted=+50%\n");
    }

    /** The fixture's trace object given a window of events 4 to 7, as replay --from-event 4 --to-event 7 writes it. */
    private static String windowed(String report, boolean warm) {
        return report.replace("\"events\": 100}", "\"events\": 4, \"window\": {\"bounds\": \"--from-event 4 --to-event 7\","
                + " \"first_event\": 4, \"last_event\": 7, \"warm\": " + warm + ", \"warm_events\": " + (warm ? 4 : 0) + "}}");
    }

    @Test
    void aWindowAgainstTheWholeTraceIsExitTwo() throws IOException {
        // The figures count different events: whatever they say, the verdict would not be about the code.
        Path a = dir.resolve("a.json");
        assertBrokenReport(text -> windowed(text, false), ": trace 'boot.csv' covers window '--from-event 4 --to-event 7'"
                + " here but the whole trace in " + a + ": figures of different windows do not compare");
    }

    @Test
    void aWarmedWindowAgainstTheSameWindowUnwarmedIsExitTwo() throws IOException {
        // Same bounds, but without --warm the state before event 4 is unknown: other figures again.
        Path a = dir.resolve("a.json");
        assertBrokenReport(text -> windowed(text, true), text -> windowed(text, false), ": trace 'boot.csv' covers window '--from-event 4 --to-event 7'"
                + " here but window '--from-event 4 --to-event 7' with --warm in " + a
                + ": figures of different windows do not compare");
    }

    @Test
    void aLongWindowIsQuotedShortInTheRefusalButComparedWhole() throws IOException {
        // Bounds of 15 + 100 = 115 characters, and 116 with the 'b': each quoted as its first 80
        // (the 15 of "--from-event 4 " and 65 a's) and its length. The two share those 80
        // characters, and the refusal still comes: they are compared whole.
        String longBounds = "--from-event 4 " + "a".repeat(100);
        String shown = "'--from-event 4 " + "a".repeat(65) + "...' (";
        Path a = dir.resolve("a.json");
        assertBrokenReport(text -> windowed(text, false).replace("--from-event 4 --to-event 7", longBounds),
                text -> windowed(text, false).replace("--from-event 4 --to-event 7", longBounds + "b"),
                ": trace 'boot.csv' covers window " + shown + "116 characters) here but window " + shown
                        + "115 characters) in " + a + ": figures of different windows do not compare");
    }

    @Test
    void aWindowNotAsReplayWritesItIsExitTwoNotAWholeTrace() throws IOException {
        String problem = ": 'trace.window' must hold 'bounds' (a string) and 'warm' (true or false), as replay writes it";
        assertBrokenReport(text -> text.replace("\"events\": 100}", "\"events\": 100, \"window\": null}"), problem);
        assertBrokenReport(text -> text.replace("\"events\": 100}", "\"events\": 100, \"window\": \"4-7\"}"), problem);
        assertBrokenReport(text -> windowed(text, false).replace("\"warm\": false", "\"warm\": \"no\""), problem);
        assertBrokenReport(text -> windowed(text, false).replace("\"bounds\": \"--from-event 4 --to-event 7\"",
                "\"bounds\": 4"), problem);
    }

    @Test
    void theSameWindowOnBothSidesComparesAsAWholeTraceDoes() throws IOException {
        // 6 -> 7 wasted flushes in the window: +16.7%, beyond the default +5%, as in the whole-trace test.
        Path a = report("a.json", 6, 2, 100_000);
        Path b = report("b.json", 7, 2, 100_000);
        Files.writeString(a, windowed(Files.readString(a), true));
        Files.writeString(b, windowed(Files.readString(b), true));
        CliRunner r = CliRunner.run("diff", a.toString(), b.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).contains("REGRESSION flushes.wasted=+5%");
    }

    private Path twoModels(Path report) throws IOException {
        ObjectNode tree = (ObjectNode) dev.mmutrace.report.ReportJson.reader().readTree(report.toFile());
        ObjectNode models = (ObjectNode) tree.get("models");
        models.set("lguest", models.get("xen").deepCopy());
        Files.writeString(report, tree.toPrettyString());
        return report;
    }

    /** Diffs a good base against a copy of it with {@code --threshold}s, expecting the one-line refusal. */
    private void assertFailsClosed(String message, String... options) throws IOException {
        Path a = report("a.json", 6, 2, 100_000);
        Path b = report("b.json", 7, 2, 100_000);
        byte[] aBytes = Files.readAllBytes(a);
        byte[] bBytes = Files.readAllBytes(b);
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("diff", a.toString(), b.toString()),
                java.util.Arrays.stream(options)).toArray(String[]::new);
        CliRunner r = CliRunner.run(args);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("mmutrace: " + message + System.lineSeparator());
        assertThat(r.out()).isEmpty();
        assertThat(Files.readAllBytes(a)).isEqualTo(aBytes);
        assertThat(Files.readAllBytes(b)).isEqualTo(bBytes);
        assertThat(listing()).containsExactlyInAnyOrder("a.json", "b.json");
    }

    /** Diffs a good base against a new report broken by {@code edit}, expecting its one-line refusal. */
    private void assertBrokenReport(java.util.function.UnaryOperator<String> edit, String problem) throws IOException {
        assertBrokenReport(text -> text, edit, problem);
    }

    /** As above, the base edited by {@code baseEdit} first. */
    private void assertBrokenReport(java.util.function.UnaryOperator<String> baseEdit,
            java.util.function.UnaryOperator<String> edit, String problem) throws IOException {
        Path a = report("a.json", 6, 2, 100_000);
        Files.writeString(a, baseEdit.apply(Files.readString(a)));
        Path b = report("b.json", 7, 2, 100_000);
        Files.writeString(b, edit.apply(Files.readString(b)));
        byte[] bBytes = Files.readAllBytes(b);
        CliRunner r = CliRunner.run("diff", a.toString(), b.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("mmutrace: " + b + problem + System.lineSeparator());
        assertThat(r.out()).isEmpty();
        assertThat(Files.readAllBytes(b)).isEqualTo(bBytes);
        assertThat(listing()).containsExactlyInAnyOrder("a.json", "b.json");
    }

    private java.util.List<String> listing() throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
