package dev.mmutrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay --jobs N} on one large trace splits its models over the threads; the report is
 * the one {@code --jobs 1} writes, byte for byte, and a bad record is the same error.
 */
class ReplayModelThreadsTest {
    @TempDir
    Path dir;

    @Test
    void aLargeTracesReportIsTheSameOnEveryJobCount() throws IOException {
        // mixed, 4 vCPUs, 150,000 events: about 1.5 MB as binary, past the 1 MiB from which the
        // models get threads of their own
        Path trace = dir.resolve("big.mmtrace");
        CliRunner made = CliRunner.run("generate", "mixed", trace.toString(), "--events", "150000", "--vcpus", "4");
        assertThat(made.exit()).as(made.err()).isZero();
        assertThat(Files.size(trace)).isGreaterThan(1 << 20);
        CliRunner one = CliRunner.run("replay", "--format", "json", "--jobs", "1", trace.toString());
        assertThat(one.exit()).as(one.err()).isZero();
        for (String jobs : new String[] {"2", "3", "4"}) {
            CliRunner many = CliRunner.run("replay", "--format", "json", "--jobs", jobs, trace.toString());
            assertThat(many.exit()).as(many.err()).isZero();
            assertThat(many.out()).as("--jobs %s", jobs).isEqualTo(one.out());
        }
    }

    @Test
    void aBadRecordLateInALargeTraceIsTheSameErrorOnEveryJobCount() throws IOException {
        Path trace = dir.resolve("bad.csv");
        CliRunner made = CliRunner.run("generate", "mixed", trace.toString(), "--events", "30000");
        assertThat(made.exit()).as(made.err()).isZero();
        Files.writeString(trace, "bogus,0,1,,,,,,,,,,,,,,,,,,,,,,\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertThat(Files.size(trace)).isGreaterThan(1 << 20);
        long line = Files.readAllLines(trace).size();
        CliRunner one = CliRunner.run("replay", "--jobs", "1", trace.toString());
        CliRunner two = CliRunner.run("replay", "--jobs", "2", trace.toString());
        assertThat(one.exit()).isEqualTo(2);
        assertThat(two.exit()).isEqualTo(2);
        assertThat(two.err()).isEqualTo(one.err())
                .isEqualTo("mmutrace: " + trace + ": line " + line + ": field 'event': unknown event 'bogus'\n");
    }
}
