package dev.mmutrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.analyze.Shard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay --shard K/N} splits the traces by name so that the shards together replay each
 * trace once, and {@code merge} of the shards' JSON reports is byte for byte the report of one
 * run over all the traces.
 */
class ShardMergeTest {
    @TempDir
    static Path dir;

    private static final List<Path> traces = new ArrayList<>();

    @BeforeAll
    static void generate() {
        // five traces given out of name order: e, a, d, b, c
        for (String name : List.of("e-boot", "a-mixed", "d-kmap-churn", "b-fork-exec-exit", "c-mmap-munmap")) {
            Path t = dir.resolve(name + ".mmtrace");
            CliRunner g = CliRunner.run("generate", name.substring(2), "--events", "800", t.toString());
            assertThat(g.exit()).as(g.err()).isZero();
            traces.add(t);
        }
    }

    @Test
    void shardsTakeEveryKthTraceByNameInTheOrderGiven() {
        // by name: a b c d e; shard 1/2 takes positions 1, 3, 5 (a, c, e), shard 2/2 positions 2, 4 (b, d);
        // each keeps the order given (e before a, d before b)
        assertThat(names(new Shard(1, 2).of(traces))).containsExactly("e-boot", "a-mixed", "c-mmap-munmap");
        assertThat(names(new Shard(2, 2).of(traces))).containsExactly("d-kmap-churn", "b-fork-exec-exit");
        assertThat(names(new Shard(3, 3).of(traces))).containsExactly("c-mmap-munmap");
    }

    @Test
    void mergedShardsAreTheReportOfOneRun() throws IOException {
        List<String> all = new ArrayList<>(List.of("replay", "--format", "json", "--set", "lguest.pgdirs=2"));
        traces.forEach(t -> all.add(t.toString()));
        CliRunner whole = CliRunner.run(all.toArray(new String[0]));
        assertThat(whole.exit()).as(whole.err()).isZero();

        List<String> merge = new ArrayList<>(List.of("merge"));
        for (int k = 1; k <= 3; k++) {
            Path report = dir.resolve("shard-" + k + ".json");
            List<String> shard = new ArrayList<>(all);
            shard.addAll(List.of("--shard", k + "/3"));
            CliRunner s = CliRunner.run(shard.toArray(new String[0]));
            assertThat(s.exit()).as(s.err()).isZero();
            Files.writeString(report, s.out());
            merge.add(report.toString());
        }
        // shards 1, 2, 3 hold (a, d), (e, b), (c), each in the order given (e, a, d, b, c), which
        // becomes a d e b c; the batch report lists its traces in the order merged
        CliRunner merged = CliRunner.run(merge.toArray(new String[0]));
        assertThat(merged.exit()).as(merged.err()).isZero();
        List<String> reordered = new ArrayList<>(List.of("replay", "--format", "json", "--set", "lguest.pgdirs=2"));
        for (String n : List.of("a-mixed", "d-kmap-churn", "e-boot", "b-fork-exec-exit", "c-mmap-munmap")) {
            reordered.add(dir.resolve(n + ".mmtrace").toString());
        }
        assertThat(merged.out()).isEqualTo(CliRunner.run(reordered.toArray(new String[0])).out());
        // and the summary, which does not depend on the order, is the one of the run as given
        assertThat(summary(merged.out())).isEqualTo(summary(whole.out()));
    }

    @Test
    void mergeRefusesReportsThatWouldNotAddUp() throws IOException {
        Path a = dir.resolve("a.json");
        Path other = dir.resolve("other-seed.json");
        Files.writeString(a, CliRunner.run("replay", "--format", "json", traces.get(0).toString()).out());
        Files.writeString(other, CliRunner.run("replay", "--format", "json", "--seed", "7",
                traces.get(1).toString()).out());
        CliRunner seeds = CliRunner.run("merge", a.toString(), other.toString());
        assertThat(seeds.exit()).isEqualTo(2);
        assertThat(seeds.err()).startsWith("mmutrace: " + other + ": made with other options than " + a);
        CliRunner twice = CliRunner.run("merge", a.toString(), a.toString());
        assertThat(twice.exit()).isEqualTo(2);
        assertThat(twice.err()).contains("trace " + traces.get(0) + " is in " + a + " too");
        Path out = dir.resolve("never.json");
        assertThat(CliRunner.run("merge", a.toString(), other.toString(), "--out", out.toString()).exit()).isEqualTo(2);
        assertThat(out).doesNotExist();
    }

    @Test
    void aReportThatIsNotWholeIsNamedByItsJsonPathNotByJavaClasses() throws IOException {
        // A report whose cost table lost its "hypercall" row is one mmutrace never writes: the
        // refusal names the JSON key the user can look at, never the class Jackson was building.
        Path a = dir.resolve("a.json");
        Path cut = dir.resolve("cut.json");
        String report = CliRunner.run("replay", "--format", "json", traces.get(0).toString()).out();
        Files.writeString(a, report);
        Files.writeString(cut, report.replaceFirst("\"hypercall\": \\d+,", ""));
        CliRunner r = CliRunner.run("merge", cut.toString(), a.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("mmutrace: " + cut
                + ": not a whole mmutrace report: 'cost_table' is missing or not what mmutrace writes there");
    }

    @Test
    void moreShardsThanTracesIsRefused() {
        CliRunner r = CliRunner.run("replay", traces.get(0).toString(), "--shard", "2/2");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("mmutrace: --shard 2/2: fewer traces (1) than shards; shard 2/2 would be empty");
        assertThat(CliRunner.run("replay", traces.get(0).toString(), "--shard", "3/2").err())
                .contains("--shard K/N needs 1 <= K <= N, got 3/2");
    }

    private static List<String> names(List<Path> paths) {
        return paths.stream().map(p -> p.getFileName().toString().replace(".mmtrace", "")).toList();
    }

    private static String summary(String batchJson) {
        return batchJson.substring(batchJson.indexOf("\"summary\""));
    }
}
