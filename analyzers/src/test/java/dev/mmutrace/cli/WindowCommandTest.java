package dev.mmutrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --from-time/--to-time/--from-event/--to-event and --warm on replay and convert, against figures
 * worked out by hand for a small trace through the native model.
 */
class WindowCommandTest {
    /*
     * 2level, one vCPU, accesses explicit; V = 0x400000 is pgd slot 1 (entry 0x1000 + 1 * 4 =
     * 0x1004) and pte slot 0 of the table at 0x2000. Event i is at (10 + i) µs.
     *
     *   0 write_cr3 0x1000    a cr3 load flushes the (empty) TLB: a model-generated flush, wasted
     *   1 set_pmd 0x1004 = 0x2067 (table 0x2000, present, rw, user)
     *   2 set_pte 0x2000 = 0x5067 (frame 5)
     *   3 access V read user: a walk, the TLB now holds V -> frame 5
     *   4 set_pte 0x2000 = 0x6067: the frame changes, a downgrade: V is stale in the TLB
     *   5 access V read user: the TLB's stale V is used: a missed flush at event 5
     *   6 flush_tlb one V: removes the stale V: needed
     *   7 flush_tlb user: nothing stale left: wasted
     *
     * Whole trace: 3 flushes, 1 needed, 2 wasted, 1 missed (event 5), no unknown-state walk.
     * Events 4..7 with --warm: events 0..3 build the same TLB but their figures are not counted:
     *   2 flushes (6 needed, 7 wasted), 1 missed at event 5, as in the whole run.
     * Events 4..7 without --warm: nothing is known before event 4 (no cr3, no pgd entry, empty
     *   TLB): event 4 only stores, event 5 walks from an unknown cr3 (1 unknown-state walk, no TLB
     *   entry so no missed flush), 6 and 7 find nothing stale: 2 flushes, 0 needed, 2 wasted.
     */
    private static final String TRACE = """
            # format_version: 1
            # paging_mode: 2level
            # vcpus: 1
            # pfn_limit: 0x4000
            # page_offset: 0xc0000000
            # p2m: permutation
            # cpu_features: wp pse pge
            # max_phys_addr: 36
            # access_mode: explicit
            # initial_memory: empty
            # producer: hand-written
            # producer_version: 1
            event,cpu,timestamp_ns,mm,vaddr,entry_gpa,value,user_entry_gpa,pgd,root,table_gpa,level,pfn,pinned,\
            error_code,ip,scope,vaddr_end,cpus,cpu_count,phase,pages,kind,user
            write_cr3,0,10000,,,,,,0x1000,kernel,,,,,,,,,,,,,,
            set_pmd,0,11000,,,0x1004,0x2067,,,,,,,,,,,,,,,,,
            set_pte,0,12000,,,0x2000,0x5067,,,,,,,,,,,,,,,,,
            access,0,13000,,0x400000,,,,,,,,,,,,,,,,,,read,true
            set_pte,0,14000,,,0x2000,0x6067,,,,,,,,,,,,,,,,,
            access,0,15000,,0x400000,,,,,,,,,,,,,,,,,,read,true
            flush_tlb,0,16000,,0x400000,,,,,,,,,,,,one,,,,,,,
            flush_tlb,0,17000,,,,,,,,,,,,,,user,,,,,,,
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private String trace;

    @BeforeEach
    void writeTrace() throws IOException {
        Path t = dir.resolve("w.csv");
        Files.writeString(t, TRACE);
        trace = t.toString();
    }

    private JsonNode nativeReport(String... window) throws IOException {
        List<String> args = new ArrayList<>(List.of("replay", "--model", "native", "--format", "json", trace));
        args.addAll(List.of(window));
        CliRunner r = CliRunner.run(args.toArray(new String[0]));
        assertThat(r.exit()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    private static String figures(JsonNode report) {
        JsonNode m = report.path("models").path("native");
        JsonNode f = m.path("flushes");
        List<Long> missedAt = new ArrayList<>();
        f.path("missed_first").forEach(x -> missedAt.add(x.path("event").asLong()));
        return "events " + m.path("events_replayed").asLong() + ", flushes " + f.path("total").asLong()
                + ", needed " + f.path("needed").asLong() + ", wasted " + f.path("wasted").asLong()
                + ", missed at " + missedAt + ", unknown walks " + m.path("unknown_state_walks").asLong();
    }

    @Test
    void theWholeTraceGivesTheHandWorkedFigures() throws IOException {
        JsonNode whole = nativeReport();
        assertThat(figures(whole))
                .isEqualTo("events 8, flushes 3, needed 1, wasted 2, missed at [5], unknown walks 0");
        assertThat(whole.path("trace").has("window")).isFalse();
    }

    @Test
    void aWarmWindowCountsOnlyItsEventsAndNamesThemAsTheWholeRunDoes() throws IOException {
        JsonNode warm = nativeReport("--from-event", "4", "--warm");
        assertThat(figures(warm))
                .isEqualTo("events 4, flushes 2, needed 1, wasted 1, missed at [5], unknown walks 0");
        JsonNode w = warm.path("trace").path("window");
        assertThat(w.path("first_event").asLong()).isEqualTo(4);
        assertThat(w.path("last_event").asLong()).isEqualTo(7);
        assertThat(w.path("warm").asBoolean()).isTrue();
        assertThat(w.path("warm_events").asLong()).isEqualTo(4);
        assertThat(warm.path("trace").path("events").asLong()).isEqualTo(4);
        // the same missed flush as in the whole run, by the same event number
        assertThat(warm.path("models").path("native").path("flushes").path("missed_first"))
                .isEqualTo(nativeReport().path("models").path("native").path("flushes").path("missed_first"));
        // the series starts at the window's first event
        assertThat(warm.path("models").path("native").path("series").path("buckets").get(0)
                .path("first_event").asLong()).isEqualTo(4);
    }

    @Test
    void withoutWarmTheStateBeforeTheWindowIsUnknown() throws IOException {
        assertThat(figures(nativeReport("--from-event", "4")))
                .isEqualTo("events 4, flushes 2, needed 0, wasted 2, missed at [], unknown walks 1");
        // The window starts as after a gap on vCPU 0 (docs/mmu.md, "After a gap"): with PGE on,
        // the TLB stays unknown until a full flush, so neither flush (one at 6, user at 7) can
        // say what it removed: both rest on the unknown TLB (tlb_since_gap).
        Path log = dir.resolve("events.jsonl");
        CliRunner r = CliRunner.run("replay", "--model", "native", "--events-log", log.toString(), "--out",
                dir.resolve("r").toString(), trace, "--from-event", "4");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> uncertain = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            for (JsonNode o : JSON.readTree(line).path("models").path("native")) {
                if (o.path("type").asText().equals("gap_uncertainty")) {
                    uncertain.add(o.path("event").asLong() + " " + o.path("kind").asText());
                }
            }
        }
        assertThat(uncertain).containsExactly("6 tlb_since_gap", "7 tlb_since_gap");
        assertThat(CliRunner.run("replay", "--model", "native", trace, "--from-event", "4").out())
                .contains("    window --from-event 4: events 4 to 7, state before it unknown\n");
    }

    @Test
    void timeBoundsAsTheTracePrintsThemSelectTheSameEvents() throws IOException {
        // 0.000014 is event 4's time; 0.000016 with six decimals keeps event 6 (16 µs), not 7
        assertThat(figures(nativeReport("--from-time", "0.000014", "--to-time", "0.000016", "--warm")))
                .isEqualTo("events 3, flushes 1, needed 1, wasted 0, missed at [5], unknown walks 0");
        assertThat(nativeReport("--from-time", "0.000014", "--to-time", "0.000016").path("trace").path("window")
                .path("last_event").asLong()).isEqualTo(6);
    }

    @Test
    void aModelStoppedBeforeAWarmWindowReplaysNoneOfIt() throws IOException {
        // buggy-guest-2level.csv: event 44 sets a pte for pfn 0x8100 >= pfn_limit 0x8000, which
        // lguest's kill_guest refuses (bad_pte, docs/models/lguest.md): the model stops there.
        String buggy = "../sample-traces/buggy-guest-2level.csv";
        CliRunner after = CliRunner.run("replay", "--model", "lguest", "--format", "json", buggy, "--from-event", "50",
                "--warm");
        assertThat(after.exit()).as(after.err()).isZero();
        JsonNode m = JSON.readTree(after.out()).path("models").path("lguest");
        assertThat(m.path("events_replayed").asLong()).isZero();
        assertThat(m.path("validation_failures").path("total").asLong()).isZero();
        assertThat(m.path("remarks").get(0).path("key").asText()).isEqualTo("window.stopped_before");
        assertThat(m.path("remarks").get(0).path("event").asLong()).isEqualTo(44);
        // a window holding event 44: the kill counts, and the model replayed events 40..44, 5 of them
        CliRunner holding = CliRunner.run("replay", "--model", "lguest", "--format", "json", buggy, "--from-event",
                "40", "--warm");
        JsonNode h = JSON.readTree(holding.out()).path("models").path("lguest");
        assertThat(h.path("events_replayed").asLong()).isEqualTo(5);
        assertThat(h.path("validation_failures").path("first").get(0).path("event").asLong()).isEqualTo(44);
    }

    @Test
    void theEventsLogOfAWarmWindowHoldsTheWindowsEventsByTheirNumbers() throws IOException {
        Path log = dir.resolve("events.jsonl");
        CliRunner r = CliRunner.run("replay", "--model", "native", "--events-log", log.toString(), trace,
                "--from-event", "4", "--to-event", "5", "--warm");
        assertThat(r.exit()).as(r.err()).isZero();
        List<Long> indices = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            JsonNode n = JSON.readTree(line);
            if (n.has("event")) {
                indices.add(n.path("index").asLong());
            }
        }
        assertThat(indices).containsExactly(4L, 5L);
    }

    @Test
    void convertWritesTheWindowsEventsAfterAGapAndSaysWhichTheyAre() throws IOException {
        Path out = dir.resolve("out.csv");
        CliRunner r = CliRunner.run("convert", trace, out.toString(), "--from-event", "4", "--to-event", "6");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).containsExactly(
                "converted 4 events: " + trace + " (csv) -> " + out + " (csv)",
                "window --from-event 4 --to-event 6: events 4 to 6 of " + trace + " (0-based), after a gap on each"
                        + " of its 1 vCPU (the state before them is unknown)");
        List<String> rows = Files.readAllLines(out).stream().filter(l -> !l.startsWith("#")).toList();
        // the header row, a gap of unknown size on vCPU 0 at event 4's time (nothing before is in
        // the file), then events 4, 5 and 6 of the trace as they were
        assertThat(rows.subList(1, rows.size())).containsExactly(
                "gap,0,14000,,,,,,,,,,,,,,,,,,,,,,",
                "set_pte,0,14000,,,0x2000,0x6067,,,,,,,,,,,,,,,,,,",
                "access,0,15000,,0x400000,,,,,,,,,,,,,,,,,,read,true,",
                "flush_tlb,0,16000,,0x400000,,,,,,,,,,,,one,,,,,,,,");
        // a window from the first event has nothing before it: no gap
        Path head = dir.resolve("head.csv");
        assertThat(CliRunner.run("convert", trace, head.toString(), "--to-event", "1").exit()).isZero();
        assertThat(Files.readAllLines(head).stream().filter(l -> l.startsWith("gap,"))).isEmpty();
    }

    @Test
    void aBadWindowIsOneLineNamingTheOptionAndNothingIsWritten() {
        Path out = dir.resolve("never.csv");
        String[][] cases = {
            {"--from-event", "5", "--to-event", "4"},
            {"--from-time", "0.2", "--to-time", "0.1"},
            {"--from-event", "-1"},
            {"--to-time", "-0.5"},
            {"--from-time", "1e-5"},
            {"--from-event", "four"},
            {"--from-time", "0.000014", "--to-event", "7"},
            {"--from-event", "8"},
            {"--from-time", "0.0000145", "--to-time", "0.0000149"},
        };
        for (String[] window : cases) {
            for (String command : List.of("replay", "convert")) {
                List<String> args = new ArrayList<>(command.equals("replay") ? List.of("replay", trace)
                        : List.of("convert", trace, out.toString()));
                args.addAll(List.of(window));
                CliRunner r = CliRunner.run(args.toArray(new String[0]));
                String what = String.join(" ", args);
                assertThat(r.exit()).as(what).isEqualTo(2);
                assertThat(r.err().lines()).as(what + ": " + r.err()).hasSize(1);
                assertThat(r.err()).as(what).startsWith("mmutrace: ").doesNotContain("Exception")
                        .contains(window[0].startsWith("--from-event") && window.length == 2
                                && !window[1].startsWith("-") && !window[1].equals("four")
                                ? "no event in the window" : window[0]);
                assertThat(r.out()).as(what).isEmpty();
                assertThat(out).as(what).doesNotExist();
            }
        }
        CliRunner warm = CliRunner.run("convert", trace, out.toString(), "--from-event", "4", "--warm");
        assertThat(warm.exit()).isEqualTo(2);
        assertThat(warm.err()).startsWith("mmutrace: --warm: convert writes events");
        CliRunner nothingBefore = CliRunner.run("replay", trace, "--to-event", "4", "--warm");
        assertThat(nothingBefore.exit()).isEqualTo(2);
        assertThat(nothingBefore.err()).startsWith("mmutrace: --warm: nothing comes before the window");
        assertThat(out).doesNotExist();
    }
}
