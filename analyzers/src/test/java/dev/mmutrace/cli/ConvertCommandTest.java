package dev.mmutrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvertCommandTest {
    /** The module runs with analyzers/ as working directory; the samples live one up. */
    private static final Path SAMPLE = Path.of("..", "sample-traces", "boot-2level.csv");

    @TempDir
    Path dir;

    private final CliSession cli = new CliSession();

    @Test
    void sampleCsvToBinaryAndBackIsByteIdentical() throws IOException {
        Path binary = dir.resolve("boot.mmtrace");
        Path csv = dir.resolve("boot.csv");

        assertThat(cli.run("convert", SAMPLE.toString(), binary.toString())).isEqualTo(0);
        assertThat(cli.run("convert", binary.toString(), csv.toString())).isEqualTo(0);

        assertThat(Files.readAllBytes(csv)).isEqualTo(Files.readAllBytes(SAMPLE));
        // the sample has 48 event rows (lines 17..64 after 15 header lines and the column row)
        assertThat(cli.out().lines()).containsExactly(
                "converted 48 events: " + SAMPLE + " (csv) -> " + binary + " (binary)",
                "converted 48 events: " + binary + " (binary) -> " + csv + " (csv)");
        assertThat(cli.err()).isEmpty();
        assertThat(leftovers()).containsExactlyInAnyOrder("boot.mmtrace", "boot.csv");
    }

    @Test
    void explicitFormatsOverrideTheExtensions() throws IOException {
        Path binaryNamedTxt = dir.resolve("boot.txt");
        Path gz = dir.resolve("boot.csv.gz");
        assertThat(cli.run("convert", "--to", "binary", SAMPLE.toString(), binaryNamedTxt.toString())).isEqualTo(0);
        assertThat(cli.run("convert", "--from", "binary", binaryNamedTxt.toString(), gz.toString())).isEqualTo(0);
        assertThat(Files.readAllBytes(binaryNamedTxt)).startsWith("MMUTRACE".getBytes());
        Path back = dir.resolve("back.csv");
        assertThat(cli.run("convert", gz.toString(), back.toString())).isEqualTo(0);
        assertThat(Files.readAllBytes(back)).isEqualTo(Files.readAllBytes(SAMPLE));
    }

    @Test
    void badInputIsOneStderrLineExitTwoAndNoOutput() throws IOException {
        List<String> lines = Files.readAllLines(SAMPLE);
        // line 21 of the file is the 5th event row: set_pte,0,1007500,,,0x734408,0x102063,...
        assertThat(lines.get(20)).startsWith("set_pte,0,1007500,,,0x734408,");
        lines.set(20, lines.get(20).replace("0x734408", "0x73440z"));
        Path bad = dir.resolve("bad.csv");
        Files.write(bad, lines);
        Path target = dir.resolve("bad.mmtrace");

        int code = cli.run("convert", bad.toString(), target.toString());

        assertThat(code).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("mmutrace: " + bad
                + ": line 21: field 'entry_gpa': bad hex '0x73440z' (0x and 1..16 hex digits)" + System.lineSeparator());
        assertThat(cli.out()).isEmpty();
        assertThat(leftovers()).containsExactly("bad.csv");
    }

    @Test
    void badInputLeavesAnExistingOutputUntouched() throws IOException {
        Path target = dir.resolve("old.mmtrace");
        Files.writeString(target, "previous content");
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "# format_version: 7\n");

        assertThat(cli.run("convert", bad.toString(), target.toString())).isEqualTo(2);

        assertThat(cli.err()).isEqualTo("mmutrace: " + bad
                + ": line 1: field 'format_version': unknown format version 7 (this build reads 1 and 2)"
                + System.lineSeparator());
        assertThat(Files.readString(target)).isEqualTo("previous content");
    }

    @Test
    void unknownOutputExtensionIsAUsageError() {
        assertThat(cli.run("convert", SAMPLE.toString(), dir.resolve("boot.xyz").toString())).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("mmutrace: " + dir.resolve("boot.xyz")
                + ": cannot tell the trace format from the name (.mmtrace, .mmtrace.gz, .csv or .csv.gz)"
                + System.lineSeparator());
    }

    private List<String> leftovers() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
