package dev.mmutrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.generate.GeneratorSettings;
import dev.mmutrace.trace.generate.Workload;
import dev.mmutrace.trace.generate.WorkloadGenerator;
import dev.mmutrace.trace.io.TraceFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {
    @TempDir
    Path dir;

    private final CliSession cli = new CliSession();

    @Test
    void writesTheGeneratorsEventsThroughTheTraceFormat() throws IOException {
        Path csv = dir.resolve("storm.csv");
        assertThat(cli.run("generate", "ctxswitch-storm", "--seed", "3", "--mode", "pae", "--vcpus", "3",
                "--events", "500", csv.toString())).isEqualTo(0);
        assertThat(cli.err()).isEmpty();
        assertThat(cli.out().strip())
                .isEqualTo("generated 500 events: ctxswitch-storm (seed 3, pae, 3 vcpus) -> " + csv + " (csv)");
        WorkloadGenerator expected = new WorkloadGenerator(
                new GeneratorSettings(Workload.CTXSWITCH_STORM, 3, 500, PagingMode.PAE, 3));
        List<TraceEvent> want = new ArrayList<>();
        expected.forEachRemaining(want::add);
        try (TraceReader r = TraceFiles.open(csv)) {
            assertThat(r.header()).isEqualTo(expected.header());
            List<TraceEvent> got = new ArrayList<>();
            r.forEachRemaining(got::add);
            assertThat(got).isEqualTo(want);
        }
    }

    @Test
    void sameSeedGivesTheSameBytes() throws IOException {
        Path a = dir.resolve("a.mmtrace");
        Path b = dir.resolve("b.mmtrace");
        assertThat(cli.run("generate", "mixed", "--seed", "9", a.toString())).isEqualTo(0);
        assertThat(cli.run("generate", "mixed", "--seed", "9", b.toString())).isEqualTo(0);
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(cli.run("generate", "no-such", dir.resolve("x.csv").toString())).isEqualTo(2);
        assertThat(cli.err()).contains("unknown workload 'no-such'");
        assertThat(cli.run("generate", "kmap-churn", "--mode", "4level", dir.resolve("x.csv").toString())).isEqualTo(2);
        assertThat(cli.err()).contains("32-bit");
        assertThat(Files.exists(dir.resolve("x.csv"))).isFalse();
    }
}
