package dev.mmutrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run ended by SIGTERM (what CI's timeout and `kill` send) leaves no temporary file: the JVM's
 * shutdown hooks run on SIGTERM, and the run's hook deletes its live temporaries. This needs a
 * process of its own, so the command runs in a child JVM on this test's class path.
 */
class InterruptedRunTest {
    @TempDir
    Path dir;

    @Test
    void sigtermDeletesTheTemporaryFileAndKeepsTheOldOutput() throws Exception {
        Path out = dir.resolve("big.mmtrace");
        Files.writeString(out, "the previous trace");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // Two billion events would take hours: the run is certainly still writing when signalled.
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Mmutrace.class.getName(), "generate", "mixed", "--events", "2000000000", out.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile())
                .start();
        try {
            // Wait (polling, up to two minutes) until the temporary file beside OUT exists and has bytes.
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (temporaries().isEmpty() || Files.size(temporaries().get(0)) == 0) {
                assertThat(child.isAlive()).as("child still running").isTrue();
                assertThat(System.nanoTime()).as("temporary file appeared").isLessThan(deadline);
                Thread.sleep(20);
            }
            child.destroy(); // SIGTERM on Unix
            assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        // 128 + 15: ended by SIGTERM, after the shutdown hooks ran
        assertThat(child.exitValue()).isEqualTo(143);
        assertThat(temporaries()).isEmpty();
        assertThat(Files.readString(out)).isEqualTo("the previous trace");
    }

    private List<Path> temporaries() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".big.mmtrace.")).toList();
        }
    }
}
