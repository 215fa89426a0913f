package dev.mmutrace.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunOutputsTest {
    @TempDir
    Path dir;

    @Test
    void aFailedCommitOfOneReportTakesBackTheOthersAndTheDirectoryMadeForThem() throws IOException {
        Path out = dir.resolve("reports");
        try (RunOutputs outputs = new RunOutputs(List.of(), new ByteArrayOutputStream())) {
            OutputTarget a = outputs.targetIn(out, "a.json");
            OutputTarget b = outputs.targetIn(out, "b.json");
            PendingOutput pa = outputs.openWith(a, "{\"a\":1}");
            PendingOutput pb = outputs.openWith(b, "{\"b\":2}");
            // Between the claim and the commit something makes b.json a non-empty directory:
            // renaming a file over it fails (EISDIR), after a.json is already in place.
            Files.createDirectories(out.resolve("b.json").resolve("inside"));
            assertThatThrownBy(() -> outputs.commitTogether(List.of(pa, pb)))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining(out.resolve("b.json") + ": cannot write: ");
            assertThat(out.resolve("a.json")).doesNotExist();
            Files.delete(out.resolve("b.json").resolve("inside"));
            Files.delete(out.resolve("b.json"));
        }
        assertThat(out).doesNotExist();
    }

    @Test
    void anUncommittedOutputLeavesTheOldFileAndNoTemporary() throws IOException {
        Path target = dir.resolve("t.csv");
        Files.writeString(target, "old");
        try (RunOutputs outputs = new RunOutputs(List.of(), new ByteArrayOutputStream());
                PendingOutput p = outputs.openWith(outputs.target(target), "new, but the run failed")) {
            assertThat(names()).hasSize(2);
        }
        assertThat(names()).containsExactly("t.csv");
        assertThat(Files.readString(target)).isEqualTo("old");
    }

    @Test
    void aMissingDirectoryOfAPlainOutputIsRefused() {
        Path target = dir.resolve("no/such/t.csv");
        try (RunOutputs outputs = new RunOutputs(List.of(), new ByteArrayOutputStream())) {
            assertThatThrownBy(() -> outputs.target(target)).isInstanceOf(OutputRefused.class)
                    .hasMessage(target + ": no such directory " + dir.resolve("no/such"));
        }
    }

    @Test
    void anOutDirectoryThatIsAFileIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("r"), "a file");
        try (RunOutputs outputs = new RunOutputs(List.of(), new ByteArrayOutputStream())) {
            assertThatThrownBy(() -> outputs.targetIn(file, "a.json")).isInstanceOf(OutputRefused.class)
                    .hasMessage(file + ": not a directory (it names the directory the reports are written into)");
        }
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
