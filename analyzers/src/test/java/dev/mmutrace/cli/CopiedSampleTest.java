package dev.mmutrace.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests of runs that must leave their input alone: before each test the 2-level sample is copied
 * into the test's own directory as {@code x.csv}, with the bytes it had, so a test can show the
 * input is byte for byte what it was and the directory holds nothing the run left behind.
 */
abstract class CopiedSampleTest {
    /** The module runs with analyzers/ as working directory; the samples live one up. */
    static final Path SAMPLE = Path.of("..", "sample-traces", "boot-2level.csv");

    @TempDir
    Path dir;

    /** The copy, {@code dir/x.csv}. */
    Path trace;
    /** What the copy held before the test ran anything on it. */
    byte[] traceBytes;

    @BeforeEach
    void copySample() throws IOException {
        trace = Files.copy(SAMPLE, dir.resolve("x.csv"));
        traceBytes = Files.readAllBytes(trace);
    }
}
