package dev.mmutrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.fixture.SampleEvents;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceWriter;
import dev.mmutrace.trace.generate.GeneratorSettings;
import dev.mmutrace.trace.generate.Workload;
import dev.mmutrace.trace.generate.WorkloadGenerator;
import dev.mmutrace.trace.io.TraceFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay command end to end on trace files, through the real models (native, xen, lguest). */
class ReplayCommandTest {
    @TempDir
    Path dir;

    private final List<String> traces = new ArrayList<>();

    @BeforeEach
    void writeTraces() {
        // Three traces of different lengths, one binary, two CSV (one in a subdirectory with the
        // same file name as another, to exercise unique output names).
        traces.add(write("a.csv", 30));
        traces.add(write("b.mmtrace", 45));
        traces.add(write("sub/a.csv", 60));
    }

    @Test
    void reportFilesAreNamedAfterTheTraceWithoutItsFormatsExtensions() {
        // One name per input, in order: '-' is standard input, trace.dat and ftrace text lose
        // their extensions as the project's own formats do, and a repeated name gets -2.
        assertThat(ReplayCommand.stems(List.of("-", "run/trace.dat", "boot.txt.gz", "x.mmtrace", "y/x.csv")))
                .containsExactly("stdin", "trace", "boot", "x", "x-2");
    }

    @Test
    void importOptionsOnAnMmutraceTraceAreAnInputErrorNamingTheTrace() {
        // a.csv says its mode, vCPUs and memory itself: --lenient has nothing to change there
        CliRunner run = CliRunner.run("replay", "--lenient", traces.get(0));
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString()
                .contains(traces.get(0))
                .contains("--legacy-pt-levels and --lenient only apply to imported traces (ftrace text, trace.dat),"
                        + " not to csv");
    }

    private String write(String name, int events) {
        Path p = dir.resolve(name);
        try {
            Files.createDirectories(p.getParent());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (TraceWriter w = TraceFiles.create(p, SampleEvents.header())) {
            for (TraceEvent e : SampleEvents.mixed(events)) {
                w.write(e);
            }
        }
        return p.toString();
    }

    private static String[] args(List<String> head, List<String> traces) {
        List<String> all = new ArrayList<>(head);
        all.addAll(traces);
        return all.toArray(String[]::new);
    }

    @Test
    void aParallelBatchGivesExactlyTheReportsOfOneByOne() throws IOException {
        Path parallel = dir.resolve("parallel");
        CliRunner batch = CliRunner.run(args(List.of("replay", "--format", "json", "--jobs", "2", "--seed", "3",
                "--out", parallel.toString()), traces));
        assertThat(batch.exit()).as(batch.err()).isZero();
        assertThat(batch.out()).isEmpty();
        List<String> files = List.of("a.json", "b.json", "a-2.json");
        for (int i = 0; i < traces.size(); i++) {
            CliRunner one = CliRunner.run("replay", "--format", "json", "--seed", "3", traces.get(i));
            assertThat(one.exit()).isZero();
            assertThat(Files.readString(parallel.resolve(files.get(i)))).isEqualTo(one.out());
        }
        assertThat(parallel.resolve("summary.json")).exists();
    }

    @Test
    void theBatchOnStandardOutputDoesNotDependOnJobs() {
        CliRunner one = CliRunner.run(args(List.of("replay", "--format", "json", "--jobs", "1"), traces));
        CliRunner two = CliRunner.run(args(List.of("replay", "--format", "json", "--jobs", "2"), traces));
        CliRunner three = CliRunner.run(args(List.of("replay", "--format", "json", "--jobs", "3"), traces));
        assertThat(one.exit()).isZero();
        assertThat(two.out()).isEqualTo(one.out());
        assertThat(three.out()).isEqualTo(one.out());
        // Input order: the reports list the traces as given.
        assertThat(one.out().indexOf(traces.get(0))).isLessThan(one.out().indexOf(traces.get(1)));
        assertThat(one.out().indexOf(traces.get(1))).isLessThan(one.out().indexOf(traces.get(2)));
    }

    @Test
    void oneTraceReadAheadGivesTheSameReportAndTheSameError() throws IOException {
        // --jobs 2 for one trace decodes it on a second thread; 20,000 events cross several of its batches
        Path storm = dir.resolve("storm.mmtrace");
        WorkloadGenerator g = new WorkloadGenerator(new GeneratorSettings(Workload.FORK_EXEC_EXIT, 1, 20_000,
                PagingMode.FOUR_LEVEL, 2));
        try (TraceWriter w = TraceFiles.create(storm, g.header())) {
            g.forEachRemaining(w::write);
        }
        CliRunner one = CliRunner.run("replay", "--format", "json", "--jobs", "1", storm.toString());
        CliRunner ahead = CliRunner.run("replay", "--format", "json", "--jobs", "2", storm.toString());
        assertThat(one.exit()).as(one.err()).isZero();
        assertThat(ahead.out()).isEqualTo(one.out());

        // a bad row far into a CSV trace: the same one-line error, at the same line
        Path csv = dir.resolve("late-bad.csv");
        try (TraceWriter w = TraceFiles.create(csv, g.header())) {
            new WorkloadGenerator(new GeneratorSettings(Workload.FORK_EXEC_EXIT, 1, 12_000, PagingMode.FOUR_LEVEL, 2))
                    .forEachRemaining(w::write);
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(csv));
        int row = lines.size() - 100;
        lines.set(row, lines.get(row).replaceFirst("^([a-z_0-9]+),[0-9]+,", "$1,7,"));
        Files.write(csv, lines);
        CliRunner badOne = CliRunner.run("replay", "--jobs", "1", csv.toString());
        CliRunner badAhead = CliRunner.run("replay", "--jobs", "2", csv.toString());
        assertThat(badOne.exit()).isEqualTo(2);
        assertThat(badOne.err()).isEqualTo("mmutrace: " + csv + ": line " + (row + 1)
                + ": field 'cpu': vCPU 7 but the header has 2 (0..1)\n");
        assertThat(badAhead.exit()).isEqualTo(2);
        assertThat(badAhead.err()).isEqualTo(badOne.err());
        assertThat(badAhead.out()).isEqualTo(badOne.out());
    }

    @Test
    void theSeedReachesTheModels() {
        // lguest evicts a random pgdir slot on a miss (seeded); the context-switch storm cycles
        // through more address spaces than its 4 slots, so the seed changes which slots go.
        Path storm = dir.resolve("storm.mmtrace");
        WorkloadGenerator g = new WorkloadGenerator(new GeneratorSettings(Workload.CTXSWITCH_STORM, 1, 3000,
                PagingMode.TWO_LEVEL, 2));
        try (TraceWriter w = TraceFiles.create(storm, g.header())) {
            g.forEachRemaining(w::write);
        }
        String a = CliRunner.run("replay", "--format", "json", "--model", "lguest", "--seed", "1", storm.toString()).out();
        String b = CliRunner.run("replay", "--format", "json", "--model", "lguest", "--seed", "1", storm.toString()).out();
        String c = CliRunner.run("replay", "--format", "json", "--model", "lguest", "--seed", "2", storm.toString()).out();
        assertThat(a).isEqualTo(b).isNotEqualTo(c).contains("\"seed\": 1");
    }

    @Test
    void theDefaultIsTheTextTableOfEveryModel() {
        CliRunner r = CliRunner.run("replay", traces.get(0));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains(traces.get(0) + ": 4level, 2 vCPUs, 30 events")
                .containsPattern("\n +native +xen +lguest\n")
                .contains("cost table (cycles each");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void csvAndHtmlFormatsRender() {
        CliRunner csv = CliRunner.run("replay", "--format", "csv", "--model", "lguest", "--interval", "10",
                traces.get(0));
        // 30 events in buckets of 10: three rows after the header.
        assertThat(csv.out().lines()).hasSize(4);
        assertThat(csv.out().lines().findFirst()).contains("trace,model,first_event,last_event,flushes,"
                + "wasted_flushes,missed_flushes,exits,hypercalls,faults,validation_failures,shadow_fills,"
                + "shadow_discarded,pgdir_misses,unknown_state,gaps");
        CliRunner html = CliRunner.run("replay", "--format", "html", traces.get(0));
        assertThat(html.out()).startsWith("<!DOCTYPE html>").contains("Chart.js v").doesNotContain("src=\"http");
    }

    @Test
    void settingsAndCostsAreApplied() throws IOException {
        Path costs = dir.resolve("costs.properties");
        Files.writeString(costs, "# measured\nexit=1000\n");
        CliRunner r = CliRunner.run("replay", "--format", "json", "--model", "lguest", "--costs",
                costs.toString(), "--set", "lguest.pgdirs=8", traces.get(0));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"exit\": 1000").contains("\"lguest.pgdirs\": \"8\"")
                .contains("\"cycles_each\": 1000");
    }

    @Test
    void badArgumentsAreOneLineAndExitTwo() throws IOException {
        Path badCosts = dir.resolve("bad.properties");
        Files.writeString(badCosts, "exits=5\n");
        Path txt = dir.resolve("trace.txt");
        Files.writeString(txt, "x");
        Path garbage = dir.resolve("garbage.csv");
        Files.writeString(garbage, "this,is\nnot,a trace\n");
        String a = traces.get(0);
        for (String[] args : new String[][] {
                {"replay"},
                {"replay", "--model", "vmware", a},
                {"replay", "--model", "native,nope", a},
                {"replay", dir.resolve("missing.csv").toString()},
                {"replay", "--jobs", "0", a},
                {"replay", "--jobs", "many", a},
                {"replay", "--format", "pdf", a},
                {"replay", "--interval", "0", a},
                {"replay", "--costs", badCosts.toString(), a},
                {"replay", "--costs", dir.resolve("nope.properties").toString(), a},
                {"replay", "--no-such-option", a},
                {"replay", txt.toString()},
                {"replay", a, garbage.toString()}}) {
            CliRunner r = CliRunner.run(args);
            String what = String.join(" ", args);
            assertThat(r.exit()).as(what).isEqualTo(2);
            assertThat(r.err().lines()).as(what + ": " + r.err()).hasSize(1);
            assertThat(r.err()).as(what).startsWith("mmutrace: ").doesNotContain("Exception");
            assertThat(r.out()).as(what).isEmpty();
        }
    }

    @Test
    void theEventsLogHasALinePerEventAndAnEndLine() throws IOException {
        Path log = dir.resolve("events.jsonl");
        CliRunner r = CliRunner.run("replay", "--model", "xen", "--events-log", log.toString(), traces.get(0));
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = Files.readAllLines(log);
        // 30 events, each a line (retries of implied faults add lines of their own), then the end line.
        assertThat(lines.stream().filter(l -> l.contains("\"event\":{"))).hasSize(30);
        assertThat(lines.get(0)).startsWith("{\"index\":0,\"event\":{\"type\":\"write_cr3\"");
        assertThat(lines.get(lines.size() - 1)).startsWith("{\"index\":30,\"end\":true,\"models\":{\"xen\":[");
        assertThat(dir.resolve(".events.jsonl.partial")).doesNotExist();
    }

    @Test
    void aBadTraceLeavesNoEventsLog() throws IOException {
        Path garbage = dir.resolve("garbage.csv");
        Files.writeString(garbage, "this,is\nnot,a trace\n");
        Path log = dir.resolve("events.jsonl");
        CliRunner r = CliRunner.run("replay", "--events-log", log.toString(), garbage.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(log).doesNotExist();
        assertThat(dir.resolve(".events.jsonl.partial")).doesNotExist();
        CliRunner two = CliRunner.run("replay", "--events-log", log.toString(), traces.get(0), traces.get(1));
        assertThat(two.exit()).isEqualTo(2);
        assertThat(two.err()).isEqualTo("mmutrace: --events-log takes one trace, got 2 (see 'mmutrace replay --help')\n");
    }

    @Test
    void outputNamesDropExtensionsAndStayUnique() {
        CliRunner r = CliRunner.run(args(List.of("replay", "--out", dir.resolve("t").toString()), traces));
        assertThat(r.exit()).isZero();
        assertThat(dir.resolve("t")).isDirectoryContaining(p -> p.getFileName().toString().equals("a.txt"))
                .isDirectoryContaining(p -> p.getFileName().toString().equals("a-2.txt"))
                .isDirectoryContaining(p -> p.getFileName().toString().equals("b.txt"))
                .isDirectoryContaining(p -> p.getFileName().toString().equals("summary.txt"));
    }
}
