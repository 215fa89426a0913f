package dev.mmutrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.SetPte;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.WriteCr3;
import dev.mmutrace.trace.io.TraceFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mmutrace convert --from ftrace}: the importer behind the command line. */
class ConvertFtraceTest {
    @TempDir
    Path dir;

    private final CliSession cli = new CliSession();

    private Path ftrace(String... lines) throws IOException {
        Path p = dir.resolve("trace.txt");
        Files.writeString(p, String.join("\n", lines) + "\n");
        return p;
    }

    @Test
    void importsToCsvWithTheOptionsAndPrintsTheSummary() throws IOException {
        Path in = ftrace("# tracer: nop",
                "  bash-930   [001] d.... 10.000001: xen_mmu_write_cr3: kernel cr3 5000000",
                "  bash-930   [001] d.... 10.000002: xen_mmu_set_pte: ptep c1234008 pteval 0000000012345067 (raw 0)",
                "  bash-930   [001] d.... 10.000003: sched_switch: prev_comm=bash prev_pid=930 ==> next_comm=a next_pid=1");
        Path csv = dir.resolve("out.csv");
        int code = cli.run("convert", "--from", "ftrace", "--mode", "pae", "--vcpus", "2", "--pfn-limit", "0x40000",
                in.toString(), csv.toString());
        assertThat(cli.err()).isEmpty();
        assertThat(code).isEqualTo(0);
        List<String> lines = cli.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("converted 2 events: " + in + " (ftrace) -> " + csv + " (csv)");
        assertThat(lines).contains("  skipped 1: sched_switch: not an MMU event this importer knows",
                "  vcpus: --vcpus option");
        try (TraceReader r = TraceFiles.open(csv)) {
            assertThat(r.header().pagingMode()).isEqualTo(PagingMode.PAE);
            assertThat(r.header().vcpus()).isEqualTo(2);
            assertThat(r.header().pfnLimit()).isEqualTo(0x40000);
            List<TraceEvent> events = new ArrayList<>();
            r.forEachRemaining(events::add);
            // PAE's PAGE_OFFSET 0xc0000000: ptep 0xc1234008 is gpa 0x1234008
            assertThat(events).containsExactly(
                    new WriteCr3(1, 10_000_001_000L, 0x5000000L, WriteCr3.Root.KERNEL),
                    new SetPte(1, 10_000_002_000L, 0x1234008L, 0x12345067L));
        }
    }

    @Test
    void hashedPointersAreOneStderrLineWithTheFixAndNoOutput() throws IOException {
        Path in = ftrace("  a-1 [000] d.... 1.0: xen_mmu_flush_tlb_all: ",
                "  a-1 [000] d.... 1.0: xen_mmu_set_pte: ptep 00000000b1d2f3a4 pteval 0000000012345067 (raw 0)");
        Path binary = dir.resolve("out.mmtrace");
        assertThat(cli.run("convert", "--from", "ftrace", "--vcpus", "1", "--pfn-limit", "4096", in.toString(),
                binary.toString())).isEqualTo(2);
        assertThat(cli.err().lines()).singleElement().asString()
                .startsWith("mmutrace: " + in + ": line 2: field 'ptep'")
                .contains("echo 0 > /sys/kernel/tracing/options/hash-ptr");
        assertThat(Files.exists(binary)).isFalse();
        // kept as identities, the same file converts
        assertThat(cli.run("convert", "--from", "ftrace", "--vcpus", "1", "--pfn-limit", "4096",
                "--keep-hashed-pointers", in.toString(), binary.toString())).isEqualTo(0);
    }

    @Test
    void importerOptionsOnAnMmutraceTraceAreAUsageError() throws IOException {
        Path in = dir.resolve("in.csv");
        Files.copy(Path.of("../sample-traces/boot-2level.csv"), in);
        assertThat(cli.run("convert", "--vcpus", "2", in.toString(), dir.resolve("o.csv").toString())).isEqualTo(2);
        // the refusal names every import option, in the order --help lists them
        assertThat(cli.err()).contains("--mode, --vcpus, --pfn-limit, --direct-map-base, --keep-hashed-pointers,"
                + " --accept-raw-values, --legacy-pt-levels and --lenient only apply to imported traces");
        assertThat(Files.exists(dir.resolve("o.csv"))).isFalse();
    }
}
