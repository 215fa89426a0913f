package dev.mmutrace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FloorPassesTest {

    @TempDir
    Path dir;

    @Test
    void floorPassesCountLinesSpacesAndTheWidestField() throws IOException {
        // "ab cd" has one space; "x  yyyy" two (an empty field between them); the blank line none;
        // the last line has no line end and no space: one field of 9 bytes, the widest
        Path file = dir.resolve("t.txt");
        Files.writeString(file, "ab cd\r\nx  yyyy\n\nlast-line", StandardCharsets.US_ASCII);

        assertThat(FloorPasses.lineEnds(file)).isEqualTo(4);
        assertThat(FloorPasses.split(file)).isEqualTo(new FloorPasses.Split(3, 9));
    }
}
