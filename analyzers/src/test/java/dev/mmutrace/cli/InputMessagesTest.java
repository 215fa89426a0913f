package dev.mmutrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input in plain words (SPEC §11), one class per test: exit 2, exactly one stderr line with the
 * user's own path and the line or record where there is one, no Java exception name, the input
 * left byte for byte as it was, and nothing new in the directory.
 */
class InputMessagesTest {
    private static final Path SAMPLE = Path.of("..", "sample-traces", "boot-2level.csv");
    private static final Path FTRACE_SAMPLE = Path.of("..", "sample-traces", "xen-guest-ftrace.txt");
    private static final String NL = System.lineSeparator();

    @TempDir
    Path dir;

    private List<String> sample;

    @BeforeEach
    void readSample() throws IOException {
        sample = Files.readAllLines(SAMPLE);
    }

    @Test
    void aDirectoryGivenAsInputSaysSo() throws IOException {
        Path d = Files.createDirectory(dir.resolve("traces.csv"));
        Map<String, String> before = listing();
        assertBadInput(before, d + ": is a directory, not a file", "replay", d.toString());
        assertBadInput(before, d + ": is a directory, not a file", "convert", d.toString(),
                dir.resolve("o.mmtrace").toString());
        assertBadInput(before, d + ": is a directory, not a file", "replay", "--costs", d.toString(),
                SAMPLE.toString());
        assertBadInput(before, d + ": is a directory, not a file", "diff", d.toString(), d.toString());
        assertBadInput(before, d + ": is a directory, not a file", "convert", "--from", "ftrace", d.toString(),
                dir.resolve("o.mmtrace").toString());
    }

    @Test
    void aMissingInputIsNoSuchFile() throws IOException {
        Path missing = dir.resolve("gone.csv");
        Map<String, String> before = listing();
        assertBadInput(before, missing + ": no such file", "replay", missing.toString());
        assertBadInput(before, missing + ": no such file", "convert", missing.toString(),
                dir.resolve("o.mmtrace").toString());
    }

    @Test
    void corruptGzipNamesTheFileAndTheLineItStoppedAt() throws IOException {
        byte[] bytes = gzipWithReservedBlockType(SAMPLE);
        Path bad = Files.write(dir.resolve("bad.csv.gz"), bytes);
        Map<String, String> before = listing();

        assertBadInput(before, bad + ": line 1: corrupt gzip data (invalid block type)", "replay", bad.toString());
        assertThat(Files.readAllBytes(bad)).isEqualTo(bytes);
    }

    /**
     * {@code file} gzipped, with the first deflate block's header (byte 10, after gzip's 10-byte
     * header without a name) set to 0xff: BFINAL 1 and BTYPE 11, a block type RFC 1951 reserves,
     * so inflating fails before the first byte of text, with zlib's "invalid block type".
     */
    private static byte[] gzipWithReservedBlockType(Path file) throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(Files.readAllBytes(file));
        }
        byte[] bytes = gz.toByteArray();
        bytes[10] = (byte) 0xff;
        return bytes;
    }

    @Test
    void corruptGzipFtraceNamesTheFile() throws IOException {
        byte[] bytes = gzipWithReservedBlockType(FTRACE_SAMPLE);
        Path bad = Files.write(dir.resolve("trace.txt.gz"), bytes);
        Map<String, String> before = listing();

        // inflating fails while reading the preamble's first line
        assertBadInput(before, bad + ": line 1: corrupt gzip data (invalid block type)", "convert", "--from", "ftrace",
                bad.toString(), dir.resolve("o.mmtrace").toString());
        assertThat(Files.readAllBytes(bad)).isEqualTo(bytes);
    }

    @Test
    void aHugeBadCellIsQuotedShort() throws IOException {
        // line 21 is the 5th event row (see ConvertCommandTest); its entry_gpa becomes 0x and a
        // million 7s: the message quotes its first 80 characters, '...', and the real length, 1,000,002.
        String huge = "0x" + "7".repeat(1_000_000);
        sample.set(20, sample.get(20).replace("0x734408", huge));
        Path bad = dir.resolve("huge.csv");
        Files.write(bad, sample);
        byte[] bytes = Files.readAllBytes(bad);
        Map<String, String> before = listing();

        assertBadInput(before, bad + ": line 21: field 'entry_gpa': bad hex '" + huge.substring(0, 80)
                + "...' (1000002 characters) (0x and 1..16 hex digits)", "replay", bad.toString());
        assertThat(Files.readAllBytes(bad)).isEqualTo(bytes);
    }

    @Test
    void malformedUtf8NamesTheFileAndLine() throws IOException {
        // A cost table whose second line holds the byte 0xff, which no UTF-8 text contains.
        Path costs = dir.resolve("costs.properties");
        byte[] bytes = "# costs\nexit=1\u0000\n".getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 2] = (byte) 0xff;
        Files.write(costs, bytes);
        Path json = dir.resolve("r.json");
        Files.write(json, new byte[] {'{', '\n', '"', 'a', '"', ':', (byte) 0xc3, '}'});
        Map<String, String> before = listing();

        assertBadInput(before, costs + ": line 2: not valid UTF-8 text", "replay", "--costs", costs.toString(),
                SAMPLE.toString());
        assertBadInput(before, json + ": line 2: not valid UTF-8 text", "diff", json.toString(), json.toString());
        assertThat(Files.readAllBytes(costs)).isEqualTo(bytes);
    }

    private void assertBadInput(Map<String, String> before, String line, String... args) throws IOException {
        CliRunner r = CliRunner.run(args);
        assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
        assertThat(r.err()).as(String.join(" ", args)).isEqualTo("mmutrace: " + line + NL);
        assertThat(r.out()).isEmpty();
        assertThat(listing()).isEqualTo(before);
    }

    private Map<String, String> listing() throws IOException {
        return DirectoryListing.of(dir);
    }
}
