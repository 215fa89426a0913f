package dev.mmutrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The report of a trace with gaps, in every format: where the gaps are, and how many figures
 * rested on the state they left unknown (docs/report-format.md; docs/mmu.md, "After a gap").
 */
class GapReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The hand-made trace: 4level, 2 vCPUs, explicit accesses, memory empty at the start (so every
     * unknown comes from a gap). Tables PML4 0x100000 -> PDPT 0x101000 -> PD 0x102000 -> PT
     * 0x103000 (written at events 0..2); vaddr 0x40201000 goes through PT slot 0x103008.
     */
    private static final String TRACE = "src/test/resources/gaps/gap-mid-4level.csv";
    private static final String CAPTURE = "../sample-traces/tracedat/lost-v7.dat";

    private static JsonNode report(String... args) throws IOException {
        CliRunner r = CliRunner.run(args);
        assertThat(r.exit()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    @Test
    void jsonShowsEachGapAndTheFiguresThatRestedOnUnknownState() throws IOException {
        JsonNode report = report("replay", "--model", "native", "--format", "json", TRACE);
        JsonNode gaps = report.path("trace").path("gaps");
        // event 8: vCPU 1 lost 3 events; event 20: vCPU 0 lost some, the tracer did not say how many
        assertThat(gaps.path("count").asLong()).isEqualTo(2);
        assertThat(gaps.path("events_lost").asLong()).isEqualTo(3);
        assertThat(gaps.path("of_unknown_size").asLong()).isEqualTo(1);
        assertThat(gaps.path("by_vcpu").path("1").path("events_lost").asLong()).isEqualTo(3);
        assertThat(gaps.path("by_vcpu").path("0").path("of_unknown_size").asLong()).isEqualTo(1);
        assertThat(gaps.path("list").get(0).toString()).isEqualTo("{\"cpu\":1,\"event\":8,\"lost_events\":3}");
        assertThat(gaps.path("list").get(1).toString()).isEqualTo("{\"cpu\":0,\"event\":20}");
        JsonNode nativeModel = report.path("models").path("native");
        // Worked event by event (the same events as replay's GapReplayTest, whose comments go
        // through each): 9 is vCPU 1's access from no known cr3 (1 unknown-state walk); 12 and 19
        // walk PML4[0], PDPT[1] and PD[1], written at 0..2, before the gap (2 entry_before_gap);
        // 13 (cr3 load), 14 (user flush) and 15 (the first full flush) judge vCPU 1's TLB the gap
        // left unknown (3 tlb_since_gap). The gap at 20 is the last event: nothing rests on it.
        assertThat(nativeModel.path("unknown_state_walks").asLong()).isEqualTo(1);
        assertThat(nativeModel.path("gap_uncertain").path("entry_before_gap").asLong()).isEqualTo(2);
        assertThat(nativeModel.path("gap_uncertain").path("tlb_since_gap").asLong()).isEqualTo(3);
        assertThat(nativeModel.path("figures_on_unknown_state").asLong()).isEqualTo(6);
    }

    @Test
    void textShowsTheGapsUnderTheTitleAndTheRowsOfUnknownState() {
        CliRunner r = CliRunner.run("replay", "--model", "native", TRACE);
        assertThat(r.exit()).as(r.err()).isZero();
        String text = String.join(" ", r.out().lines().map(String::strip).toList());
        assertThat(text).contains("2 gaps where the tracer lost events: 3 events lost and 1 gap of unknown size;"
                + " vCPU 0: 1, vCPU 1: 1; at event 8 (vCPU 1, 3 lost), 20 (vCPU 0, size unknown)");
        assertThat(r.out().lines().map(String::strip).toList()).contains(
                "unknown-state walks                        1",
                "walks of entries from before a gap       2",
                "flushes of TLBs a gap left unknown       3",
                "figures on unknown state                   6");
    }

    @Test
    void csvSeriesCountsGapsAndUnknownStatePerBucket() {
        // one bucket per 10 events: [0,9], [10,19], [20,20]
        CliRunner r = CliRunner.run("replay", "--model", "native", "--format", "csv", "--interval", "10", TRACE);
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> rows = r.out().lines().toList();
        assertThat(rows.get(0)).endsWith(",pgdir_misses,unknown_state,gaps");
        // [0,9]: the walk at 9, the gap at 8; [10,19]: walks 12 and 19, flushes 13..15; [20,20]: the gap at 20
        assertThat(rows.get(1)).endsWith(",1,1");
        assertThat(rows.get(2)).endsWith(",5,0");
        assertThat(rows.get(3)).endsWith(",0,1");
    }

    @Test
    void theEventsLogShowsEachGapAndWhatRestedOnIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        java.nio.file.Path log = dir.resolve("events.jsonl");
        CliRunner r = CliRunner.run("replay", "--model", "native", "--events-log", log.toString(), "--out",
                dir.resolve("reports").toString(), TRACE);
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = java.nio.file.Files.readAllLines(log);
        // line n + 1 is event n: the gap of 3 at 8, the unknown-size one at 20 (null, never 0), and
        // the walk at 12 through entries from before the gap
        assertThat(JSON.readTree(lines.get(8)).path("event").path("lost_events").asLong()).isEqualTo(3);
        assertThat(JSON.readTree(lines.get(20)).path("event").path("lost_events").isNull()).isTrue();
        assertThat(JSON.readTree(lines.get(12)).path("models").path("native").toString())
                .isEqualTo("[{\"type\":\"gap_uncertainty\",\"event\":12,\"cpu\":0,\"kind\":\"entry_before_gap\"}]");
    }

    @Test
    void htmlSaysWhereTheGapsAre() {
        CliRunner r = CliRunner.run("replay", "--model", "native", "--format", "html", TRACE);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("2 gaps where the tracer lost events").contains("figures on unknown state");
    }

    /**
     * A report written before gaps existed (the buggy-guest sample's, kept as it was): it has no
     * trace.gaps, gap_uncertain or figures_on_unknown_state, and diff and merge still take it.
     */
    private static final String BEFORE_GAPS = "src/test/resources/gaps/before-gaps.report.json";

    @Test
    void aReportFromBeforeGapsStillDiffsAgainstANewOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        java.nio.file.Path now = dir.resolve("now.json");
        CliRunner made = CliRunner.run("replay", "--format", "json", "--out", now.toString(),
                "../sample-traces/buggy-guest-2level.csv");
        assertThat(made.exit()).as(made.err()).isZero();
        java.nio.file.Path newReport = now.resolve("buggy-guest-2level.json");
        // the same trace and build of the models: no figure changed, the new keys are 0 (a metric
        // missing on one side counts as 0, docs/diff.md)
        CliRunner diff = CliRunner.run("diff", BEFORE_GAPS, newReport.toString());
        assertThat(diff.exit()).as(diff.out() + diff.err()).isZero();
        // merge reads it back as a trace without gaps whose only figures on unknown state were its walks
        JsonNode merged = JSON.readTree(CliRunner.run("merge", BEFORE_GAPS).out());
        assertThat(merged.path("trace").path("gaps").path("count").asLong()).isZero();
        assertThat(merged.path("models").path("xen").path("figures_on_unknown_state").asLong()).isZero();
    }

    @Test
    void theRealCaptureWithLostEventsHasAGapWhereTraceCmdPrintedEachDrop() throws IOException {
        JsonNode gaps = report("replay", "--model", "native", "--format", "json", CAPTURE).path("trace").path("gaps");
        // lost.report.txt (trace-cmd report's text of the capture): "CPU:0 [355873 EVENTS DROPPED]"
        // before everything, so event 0; "CPU:1 [513407 EVENTS DROPPED]" on line 178, after 134
        // page_fault_user lines (the only records that become events here), so event 1 + 134 = 135
        assertThat(gaps.path("count").asLong()).isEqualTo(2);
        assertThat(gaps.path("events_lost").asLong()).isEqualTo(355_873 + 513_407);
        assertThat(gaps.path("list").get(0).toString()).isEqualTo("{\"cpu\":0,\"event\":0,\"lost_events\":355873}");
        assertThat(gaps.path("list").get(1).toString()).isEqualTo("{\"cpu\":1,\"event\":135,\"lost_events\":513407}");
    }
}
