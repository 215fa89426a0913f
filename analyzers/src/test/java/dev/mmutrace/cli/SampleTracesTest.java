package dev.mmutrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mmutrace.trace.SetPteAt;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.io.TraceFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sample traces (sample-traces/README.md): each trace is what its command makes today, and
 * its replay gives the committed JSON report. A golden file alone could absorb a bug, so each
 * sample's key figures are also asserted from values worked out by hand.
 *
 * <p>Regenerating traces and reports after an intended change is one command (README there):
 * {@code mvn -B -ntp -q -pl analyzers -am test -Dtest=SampleTracesTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dmmutrace.regenerateSamples=true}.
 */
class SampleTracesTest {
    /** The module runs with analyzers/ as working directory; the samples live one up. */
    private static final String DIR = "../sample-traces/";
    private static final boolean REGENERATE = Boolean.getBoolean("mmutrace.regenerateSamples");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A sample: its trace file and the command (minus OUT) that makes it. */
    record Sample(String trace, List<String> command) {
        Path path() {
            return Path.of(DIR + trace);
        }

        Path report() {
            return Path.of(DIR + trace.substring(0, trace.indexOf('.')) + ".report.json");
        }

        @Override
        public String toString() {
            return trace;
        }
    }

    static List<Sample> samples() {
        return List.of(
                new Sample("buggy-guest-2level.csv",
                        List.of("generate", "buggy-guest", "--mode", "2level", "--vcpus", "2", "--seed", "1")),
                new Sample("ctxswitch-storm-pae.mmtrace",
                        List.of("generate", "ctxswitch-storm", "--mode", "pae", "--vcpus", "2", "--seed", "1")),
                new Sample("mmap-munmap-4level.csv",
                        List.of("generate", "mmap-munmap", "--mode", "4level", "--vcpus", "2", "--seed", "1")),
                new Sample("xen-guest-ftrace.csv",
                        List.of("convert", "--from", "ftrace", "--pfn-limit", "0x8000", DIR + "xen-guest-ftrace.txt")));
    }

    @TempDir
    Path tmp;

    @ParameterizedTest
    @MethodSource("samples")
    void traceIsWhatItsCommandMakesAndReplaysToItsReport(Sample s) throws IOException {
        Path made = tmp.resolve(s.trace());
        List<String> args = new ArrayList<>(s.command());
        args.add(made.toString());
        CliRunner make = CliRunner.run(args.toArray(String[]::new));
        assertThat(make.exit()).as(make.err()).isZero();
        if (s.trace().endsWith(".mmtrace")) {
            // The binary sample stays as it was written, in version 1 of the format (one event per
            // record): it is the input that shows today's reader still reads version 1, so it is
            // never regenerated. Today's writer makes version 2 (batches) of the same trace.
            assertThat(Files.readAllBytes(s.path())[8]).as("%s's format version", s).isEqualTo((byte) 1);
            assertThat(Files.readAllBytes(made)[8]).isEqualTo((byte) 2);
            assertSameTrace(made, s.path(), s);
        } else {
            if (REGENERATE) {
                Files.copy(made, s.path(), StandardCopyOption.REPLACE_EXISTING);
            }
            assertThat(Files.readAllBytes(made)).as("%s is what `%s` makes", s, String.join(" ", s.command()))
                    .isEqualTo(Files.readAllBytes(s.path()));
        }

        String report = replay(s);
        if (REGENERATE) {
            Files.writeString(s.report(), report, StandardCharsets.UTF_8);
        }
        assertThat(report).isEqualTo(Files.readString(s.report(), StandardCharsets.UTF_8));
    }

    private static void assertSameTrace(Path made, Path committed, Sample s) {
        try (TraceReader a = TraceFiles.open(made); TraceReader b = TraceFiles.open(committed)) {
            assertThat(b.header()).isEqualTo(a.header());
            List<TraceEvent> expected = new ArrayList<>();
            a.forEachRemaining(expected::add);
            List<TraceEvent> read = new ArrayList<>();
            b.forEachRemaining(read::add);
            assertThat(read).as("%s holds the events `%s` makes", s, String.join(" ", s.command()))
                    .isEqualTo(expected);
        }
    }

    private static String replay(Sample s) {
        CliRunner replay = CliRunner.run("replay", "--format", "json", DIR + s.trace());
        assertThat(replay.exit()).as(replay.err()).isZero();
        return replay.out();
    }

    private static JsonNode report(String trace) throws IOException {
        return JSON.readTree(replay(samples().stream().filter(s -> s.trace().equals(trace)).findFirst().orElseThrow()));
    }

    /**
     * buggy-guest (docs/workloads.md): three bugs. (1) the heap's L1 table mapped RW into user
     * space: Xen refuses the PTE (writable mapping of a page-table frame); lguest does not care.
     * (2) a page written (TLB filled), unmapped without a flush, its frame made an L1 table: a
     * missed flush for native, the stale translation outliving the frame's retyping; under xen the
     * PIN_L1_TABLE of xen_alloc_ptpage changes the frame's type writable -> l1, and the TLB-clock
     * filter (xen.md §2.4, §3.1) flushes the vCPU first: that type_change_ipi is xen's one needed
     * flush, removing the one stale translation, and nothing is missed.
     * (3) a PTE for pfn 0x8100 >= pfn_limit 0x8000: Xen refuses it (frame not owned); lguest kills
     * the guest there, so its replay stops at that event. Nothing else is wrong.
     */
    @Test
    void buggyGuestKeyFigures() throws IOException {
        JsonNode models = report("buggy-guest-2level.csv").path("models");
        JsonNode xen = models.path("xen").path("validation_failures");
        assertThat(xen.path("total").asInt()).isEqualTo(2);
        assertThat(xen.path("by_reason").path("writable_pt_mapping").asInt()).isEqualTo(1);
        assertThat(xen.path("by_reason").path("not_owned").asInt()).isEqualTo(1);
        assertThat(models.path("native").path("validation_failures").path("total").asInt()).isZero();
        JsonNode nativeFlushes = models.path("native").path("flushes");
        assertThat(nativeFlushes.path("missed").asInt()).isEqualTo(1);
        assertThat(nativeFlushes.path("missed_by").path("frame_retyped").asInt()).isEqualTo(1);
        JsonNode xenFlushes = models.path("xen").path("flushes");
        assertThat(xenFlushes.path("missed").asInt()).isZero();
        assertThat(xenFlushes.path("stale_removed").asInt()).isEqualTo(1);
        assertThat(xenFlushes.path("by_kind").path("type_change_ipi").path("needed").asInt()).isEqualTo(1);
        long beyond = -1;
        try (TraceReader r = TraceFiles.open(Path.of(DIR + "buggy-guest-2level.csv"))) {
            for (long i = 0; r.hasNext(); i++) {
                TraceEvent e = r.next();
                if (e instanceof SetPteAt s && (s.value() >>> 12) == 0x8100) {
                    beyond = i;
                }
            }
        }
        JsonNode lguest = models.path("lguest");
        assertThat(lguest.path("validation_failures").path("total").asInt()).isEqualTo(1);
        assertThat(lguest.path("validation_failures").path("fatal").asInt()).isEqualTo(1);
        assertThat(lguest.path("validation_failures").path("by_reason").path("bad_pte").asInt()).isEqualTo(1);
        assertThat(lguest.path("shadow").path("killed_at_event").asLong()).isEqualTo(beyond).isPositive();
        assertThat(lguest.path("events_replayed").asLong()).isEqualTo(beyond + 1);
    }

    /**
     * ctxswitch-storm, pae, 2 vCPUs: write_cr3 happens once per vCPU at boot (2), once per
     * process at its exec (8), and once per round (48): 58, each an LHCALL_NEW_PGTABLE for lguest
     * and a NEW_BASEPTR for Xen. Xen pins init_mm and the 8 processes: 9 PIN_L3_TABLE. 9 address
     * spaces cycle through lguest's 4 pgdir slots, so pgdirs are evicted and needed again.
     */
    @Test
    void contextSwitchStormKeyFigures() throws IOException {
        JsonNode models = report("ctxswitch-storm-pae.mmtrace").path("models");
        assertThat(models.path("lguest").path("hypercalls").path("by_name").path("LHCALL_NEW_PGTABLE").asInt())
                .isEqualTo(2 + 8 + 48);
        assertThat(models.path("xen").path("hypercalls").path("by_name").path("mmuext_op:NEW_BASEPTR").asInt())
                .isEqualTo(2 + 8 + 48);
        assertThat(models.path("xen").path("hypercalls").path("by_name").path("mmuext_op:PIN_L3_TABLE").asInt())
                .isEqualTo(1 + 8);
        assertThat(models.path("lguest").path("shadow").path("evicted_then_reused").asInt()).isPositive();
        for (String model : List.of("native", "xen", "lguest")) {
            assertThat(models.path(model).path("validation_failures").path("total").asInt()).as(model).isZero();
        }
    }

    /**
     * mmap-munmap, 4level, 2 vCPUs (docs/workloads.md). Faults: 6 at exec, then every page of the
     * rounds' regions, 4+4+40+4+4+40 = 96: 102. Flushes of one page: munmap of the 4-page rounds
     * 0, 1, 3, 4 (16) and mprotect of rounds 1, 3 (8); needed where the page's translation is
     * still in vCPU 0's TLB (filled by the retry of its fault): rounds 0 and 4's munmaps and the
     * two mprotects (16); after an mprotect's flush nothing refills the TLB, so the munmaps of
     * rounds 1 and 3 are wasted (8). Full flushes: munmap of rounds 2 and 5, mprotect of round 5;
     * round 5's munmap comes after its mprotect's flush: wasted (2 needed, 1 wasted). Multi
     * flushes to the second thread's vCPU 1, one per range flush (9), all wasted: vCPU 1 never
     * touched the pages.
     */
    @Test
    void mmapMunmapKeyFigures() throws IOException {
        JsonNode nativeModel = report("mmap-munmap-4level.csv").path("models").path("native");
        assertThat(nativeModel.path("faults").path("guest").asInt()).isEqualTo(102);
        JsonNode byKind = nativeModel.path("flushes").path("by_kind");
        assertThat(byKind.path("one").path("total").asInt()).isEqualTo(24);
        assertThat(byKind.path("one").path("needed").asInt()).isEqualTo(16);
        assertThat(byKind.path("one").path("wasted").asInt()).isEqualTo(8);
        assertThat(byKind.path("user").path("needed").asInt()).isEqualTo(2);
        assertThat(byKind.path("user").path("wasted").asInt()).isEqualTo(1);
        assertThat(byKind.path("multi").path("total").asInt()).isEqualTo(9);
        assertThat(byKind.path("multi").path("wasted").asInt()).isEqualTo(9);
        assertThat(nativeModel.path("flushes").path("missed").asInt()).isZero();
    }

    /**
     * The hand-written ftrace sample (sample-traces/README.md): 2 page faults; the mprotect's
     * flush of 0x401000 removes the read-write translation the second fault's retry left in
     * vCPU 0's TLB (needed); the multi flush to vCPU 1 finds nothing there (wasted). Each fault's
     * own walk reads an L1 slot the trace never wrote: 2 unknown-state walks. Xen refuses nothing.
     */
    @Test
    void ftraceSampleKeyFigures() throws IOException {
        JsonNode models = report("xen-guest-ftrace.csv").path("models");
        JsonNode nativeModel = models.path("native");
        assertThat(nativeModel.path("faults").path("guest").asInt()).isEqualTo(2);
        assertThat(nativeModel.path("unknown_state_walks").asInt()).isEqualTo(2);
        JsonNode guest = nativeModel.path("flushes").path("by_origin").path("guest_requested");
        assertThat(guest.path("total").asInt()).isEqualTo(2);
        assertThat(guest.path("needed").asInt()).isEqualTo(1);
        assertThat(guest.path("wasted").asInt()).isEqualTo(1);
        assertThat(models.path("xen").path("validation_failures").path("total").asInt()).isZero();
        assertThat(models.path("lguest").path("shadow").path("killed_at_event").asLong()).isEqualTo(-1);
    }
}
