package dev.mmutrace.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mmutrace.cli.Mmutrace;
import dev.mmutrace.report.ReportJson;
import dev.mmutrace.report.diff.ReportDiff;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The corpus job on Spark {@code local[2]} over 20 generated traces (every workload, three paging
 * modes, binary, gzipped and CSV, one trace cut short): every row must carry exactly the figures
 * of a single-machine {@code mmutrace replay --format json} of the same trace, the cut trace must
 * be rows with the single-machine error, not a failed job, and {@code --against} must give the
 * diff's verdict. Two Spark runs in all, to keep the module's CI time small.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorpusReplayTest {
    private static final String[] MODELS = {"lguest", "native", "xen"};
    private static final String PGDIRS_ONE = "lguest.pgdirs=1";
    /** Only lguest fills shadow entries, so only lguest's estimated cycles change with this price. */
    private static final String SHADOW_FILL_PRICE = "shadow_fill=777\n";

    @TempDir
    static Path dir;

    private Path corpus;
    private Path broken;
    private Path costs;
    private final List<Path> good = new ArrayList<>();
    private Run base;
    private Run fewerPgdirs;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    void replayTheCorpusTwice() throws IOException {
        corpus = Files.createDirectories(dir.resolve("corpus"));
        String[] workloads = {"boot", "fork-exec-exit", "ctxswitch-storm", "kmap-churn", "mmap-munmap", "buggy-guest",
                "mixed"};
        String[] names = {"%s-%d.mmtrace", "%s-%d.mmtrace.gz", "%s-%d.csv"};
        for (int i = 0; i < 19; i++) {
            String workload = workloads[i % workloads.length];
            String mode = workload.equals("kmap-churn") ? "pae" : i % 3 == 0 ? "2level" : i % 3 == 1 ? "pae" : "4level";
            Path t = corpus.resolve(String.format(names[i % 3], workload, i));
            Run g = mmutrace("generate", workload, "--seed", String.valueOf(i + 1), "--events", "1500", "--mode", mode,
                    "--vcpus", String.valueOf(1 + i % 4), t.toString());
            assertThat(g.exit()).as(g.err()).isZero();
            good.add(t);
        }
        // a binary trace cut in the middle of its records: the single-machine replay's exit 2
        Path whole = corpus.resolve("fork-exec-exit-0.mmtrace");
        assertThat(mmutrace("generate", "fork-exec-exit", "--events", "1500", whole.toString()).exit()).isZero();
        byte[] bytes = Files.readAllBytes(whole);
        broken = corpus.resolve("cut.mmtrace");
        Files.write(broken, Arrays.copyOf(bytes, bytes.length / 2));
        Files.delete(whole);
        Files.writeString(corpus.resolve("README.txt"), "not a trace: the listing skips it\n");
        costs = Files.writeString(dir.resolve("costs.properties"), "# measured elsewhere\n" + SHADOW_FILL_PRICE);

        // both runs with the same --costs, so the price itself is no change between them
        base = corpusRun("replay", corpus.toString(), "--out", dir.resolve("base").toString(), "--master", "local[2]",
                "--costs", costs.toString());
        fewerPgdirs = corpusRun("replay", corpus.resolve("*").toString(), "--out", dir.resolve("next").toString(),
                "--format", "json", "--master", "local[2]", "--set", PGDIRS_ONE, "--costs", costs.toString(),
                "--against", dir.resolve("base").toString(),
                "--no-default-thresholds", "--threshold", "lguest:shadow.pgdir_misses=+0");
    }

    @Test
    void everyRowHasTheFiguresOfTheSingleMachineReport() throws IOException {
        assertThat(fewerPgdirs.err()).contains("cut.mmtrace");
        List<ObjectNode> rows = rows(dir.resolve("next").resolve("rows"));
        // 19 good traces and the cut one, each once per model
        assertThat(rows).hasSize(20 * MODELS.length);
        for (Path t : good) {
            JsonNode report = ReportJson.reader().readTree(single(t, "--set", PGDIRS_ONE, "--costs", costs.toString()));
            for (String model : MODELS) {
                ObjectNode row = row(rows, t, model);
                assertThat(row.has("error")).isFalse();
                JsonNode trace = report.get("trace");
                assertThat(row.get("events").asLong()).isEqualTo(trace.get("events").asLong());
                assertThat(row.get("paging_mode").asText()).isEqualTo(trace.get("paging_mode").asText());
                assertThat(row.get("vcpus").asInt()).isEqualTo(trace.get("vcpus").asInt());
                assertThat(row.get("labels")).isEqualTo(trace.get("labels"));
                for (String gapKey : new String[] {"count", "events_lost", "of_unknown_size"}) {
                    assertThat(row.get("gaps").get(gapKey)).isEqualTo(trace.get("gaps").get(gapKey));
                }
                ObjectNode figures = row.deepCopy();
                figures.remove(CorpusRow.TRACE_COLUMNS);
                // the diff's definition of a figure: every integer under the model, lists left out
                assertThat(ReportDiff.metrics(figures)).as(t + " " + model)
                        .isEqualTo(ReportDiff.metrics(report.get("models").get(model)))
                        .containsKey("flushes.wasted").containsKey("figures_on_unknown_state")
                        .containsKey("gap_uncertain.tlb_since_gap");
            }
        }
    }

    @Test
    void aCutTraceIsRowsWithTheSingleMachineError() throws IOException {
        Run one = mmutrace("replay", broken.toString(), "--format", "json");
        assertThat(one.exit()).isEqualTo(2);
        String expected = one.err().strip().replace("mmutrace: " + broken, "file:" + broken);
        List<ObjectNode> rows = rows(dir.resolve("next").resolve("rows"));
        for (String model : MODELS) {
            ObjectNode row = row(rows, broken, model);
            assertThat(row.get("error").asText()).isEqualTo(expected);
            assertThat(row.has("flushes")).isFalse();
        }
    }

    @Test
    void summaryAddsUpTheReplayedTracesAndNamesTheFailedOne() throws IOException {
        assertThat(base.exit()).as(base.err()).isZero();
        assertThat(base.out()).startsWith("replayed 20 traces (1 failed)");
        JsonNode summary = ReportJson.reader().readTree(dir.resolve("base").resolve("summary.json").toFile());
        assertThat(summary.get("traces").asLong()).isEqualTo(20);
        assertThat(summary.get("failed").asLong()).isEqualTo(1);
        assertThat(summary.get("failures").fieldNames()).toIterable().containsExactly("file:" + broken);
        // the 19 good traces in one batch on one machine: its summary is the corpus's
        List<String> args = new ArrayList<>(List.of("replay", "--format", "json", "--costs", costs.toString()));
        good.forEach(t -> args.add(t.toString()));
        Run batch = mmutrace(args.toArray(new String[0]));
        JsonNode batchSummary = ReportJson.reader().readTree(batch.out()).get("summary");
        assertThat(summary.get("models")).isEqualTo(batchSummary.get("models"));
        // the seven workloads are the label values; kmap-churn's traces are i = 3, 10, 17
        JsonNode kmap = summary.get("by_label").get("workload").get("kmap-churn");
        assertThat(kmap.get("xen").get("traces").asLong()).isEqualTo(3);
        assertThat(summary.get("by_label").get("workload").size()).isEqualTo(7);
    }

    @Test
    void summaryRecordsTheCostTableAndSettingsOfTheRun() throws IOException {
        JsonNode next = ReportJson.reader().readTree(dir.resolve("next").resolve("summary.json").toFile());
        assertThat(next.get("cost_table").get("shadow_fill").asLong()).isEqualTo(777);
        // the other prices are docs/cost-model.md's defaults
        assertThat(next.get("cost_table").get("exit").asLong()).isEqualTo(2000);
        assertThat(next.get("options").get("settings").get("lguest.pgdirs").asText()).isEqualTo("1");
        JsonNode base = ReportJson.reader().readTree(dir.resolve("base").resolve("summary.json").toFile());
        assertThat(base.get("options").get("settings").size()).isZero();
    }

    @Test
    void aSettingOrCostsFileReplayRefusesIsRefusedInTheSameWordsBeforeSparkStarts() throws IOException {
        Path badCosts = Files.writeString(dir.resolve("bad-costs.properties"), "exits=5\n");
        Path trace = good.get(0);
        String[][] options = {
                {"--set", "lguest.pgdir=8"},
                {"--set", "native.x=1"},
                {"--set", "lgeust.pgdirs=8"},
                {"--model", "xen", "--set", "lguest.pgdirs=8"},
                // a value the model refuses: replay's exit 2, not a corpus of broken rows
                {"--set", "xen.io_rights=yes"},
                {"--set", "lguest.pgdirs=0"},
                {"--costs", badCosts.toString()},
                {"--costs", dir.resolve("no-such-costs.properties").toString()}};
        for (String[] o : options) {
            List<String> replay = new ArrayList<>(List.of("replay", trace.toString()));
            replay.addAll(List.of(o));
            Run single = mmutrace(replay.toArray(new String[0]));
            Path out = dir.resolve("refused");
            List<String> job = new ArrayList<>(List.of("replay", corpus.toString(), "--out", out.toString()));
            job.addAll(List.of(o));
            Run run = corpusRun(job.toArray(new String[0]));
            String what = String.join(" ", o);
            assertThat(single.exit()).as(what).isEqualTo(2);
            assertThat(run.exit()).as(what).isEqualTo(2);
            assertThat(run.err()).as(what).isEqualTo(single.err()).startsWith("mmutrace: ").hasLineCount(1);
            assertThat(run.out()).as(what).isEmpty();
            assertThat(out).as(what).doesNotExist();
        }
    }

    @Test
    void againstAnOlderRunGivesTheDiffsVerdict() throws IOException {
        // one pgdir slot instead of four: a process switch misses the cache where it hit, so some
        // trace with several processes has more lguest pgdir misses; the threshold =+0 catches it
        assertThat(fewerPgdirs.exit()).as(fewerPgdirs.err()).isEqualTo(1);
        String verdict = Files.readString(dir.resolve("next").resolve("verdict.txt"));
        assertThat(fewerPgdirs.out()).endsWith(verdict);
        assertThat(verdict).contains("REGRESSION lguest:shadow.pgdir_misses=+0").contains("verdict: REGRESSION");
        // the setting is lguest's: neither other model changed at all
        assertThat(verdict).doesNotContain("\n  xen\n").doesNotContain("\n  native\n");
    }

    @Test
    void anOutputThatHoldsARunIsRefused() {
        Run again = corpusRun("replay", corpus.toString(), "--out", dir.resolve("base").toString(), "--master", "local[1]");
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err().strip()).isEqualTo("mmutrace: " + dir.resolve("base")
                + ": already holds a corpus run (rows/ or summary.json); choose a new --out");
    }

    private ObjectNode row(List<ObjectNode> rows, Path trace, String model) {
        String uri = "file:" + trace;
        return rows.stream().filter(r -> r.get("trace").asText().equals(uri) && r.get("model").asText().equals(model))
                .reduce((a, b) -> {
                    throw new AssertionError("two rows for " + uri + " " + model);
                }).orElseThrow(() -> new AssertionError("no row for " + uri + " " + model));
    }

    /** The JSON-lines table, read without Spark. */
    private static List<ObjectNode> rows(Path table) throws IOException {
        List<ObjectNode> rows = new ArrayList<>();
        try (Stream<Path> parts = Files.list(table)) {
            for (Path p : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
                for (String line : Files.readAllLines(p)) {
                    rows.add((ObjectNode) ReportJson.reader().readTree(line));
                }
            }
        }
        return rows;
    }

    private String single(Path trace, String... options) {
        List<String> args = new ArrayList<>(List.of("replay", trace.toString(), "--format", "json"));
        args.addAll(List.of(options));
        Run r = mmutrace(args.toArray(new String[0]));
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out();
    }

    private static Run mmutrace(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Mmutrace.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    private static Run corpusRun(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = CorpusMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }
}
