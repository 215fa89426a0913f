package dev.mmutrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The terminal check and the read offsets, on directories shaped like /proc/self. */
class StandardErrorTest {
    @TempDir
    Path dir;

    private Path link(String name, String target) throws IOException {
        return Files.createSymbolicLink(dir.resolve(name), Path.of(target));
    }

    @Test
    void onlyATerminalDeviceIsATerminal() throws IOException {
        assertThat(StandardError.isTerminal(link("pts", "/dev/pts/3"))).isTrue();
        assertThat(StandardError.isTerminal(link("tty", "/dev/tty1"))).isTrue();
        // 2>file, 2>&1 | less, CI's pipe, /dev/null: no bar.
        assertThat(StandardError.isTerminal(link("file", "/tmp/replay.log"))).isFalse();
        assertThat(StandardError.isTerminal(link("pipe", "pipe:[123456]"))).isFalse();
        assertThat(StandardError.isTerminal(link("null", "/dev/null"))).isFalse();
        // no /proc (another system): no bar
        assertThat(StandardError.isTerminal(dir.resolve("missing"))).isFalse();
    }

    @Test
    void theOffsetOfADescriptorOpenOnTheFileIsHowFarItWasRead() throws IOException {
        Path trace = Files.writeString(dir.resolve("big.mmtrace"), "x");
        Files.createDirectories(dir.resolve("proc/fd"));
        Files.createDirectories(dir.resolve("proc/fdinfo"));
        Files.createSymbolicLink(dir.resolve("proc/fd/7"), trace);
        Files.writeString(dir.resolve("proc/fdinfo/7"), "pos:\t1048576\nflags:\t0100000\nmnt_id:\t25\n");
        Files.createSymbolicLink(dir.resolve("proc/fd/8"), dir.resolve("other"));
        Files.writeString(dir.resolve("proc/fdinfo/8"), "pos:\t99\n");
        ReadPosition positions = new ReadPosition(dir.resolve("proc"));
        assertThat(positions.of(trace)).isEqualTo(OptionalLong.of(1_048_576));
        assertThat(positions.of(dir.resolve("not-open"))).isEmpty();
    }

    @Test
    void thisProcessSeesItsOwnOffsetWhereThereIsAProc() throws IOException {
        Path file = Files.write(dir.resolve("f.bin"), new byte[10_000]);
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fdinfo")), "Linux only");
        try (var in = Files.newInputStream(file)) {
            in.readNBytes(4_096);
            assertThat(ReadPosition.ofThisProcess().of(file.toRealPath())).isEqualTo(OptionalLong.of(4_096));
        }
    }
}
