package dev.mmutrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * SPEC §11's output guarantees, one misuse class per test, end to end through the command line:
 * the exit code, the one stderr line, the input left byte for byte as it was, and nothing left
 * behind in the directory (no temporary file, no half report). Special files are made inside the
 * test's own temporary directory only (mkfifo), never under /dev.
 */
class OutputSafetyTest extends CopiedSampleTest {
    private static final String NL = System.lineSeparator();

    @Test
    void convertOntoItsOwnInputIsRefusedHoweverTheOutputIsNamed() throws IOException {
        Path binary = dir.resolve("x.mmtrace");
        assertThat(CliRunner.run("convert", trace.toString(), binary.toString()).exit()).isZero();
        byte[] binaryBytes = Files.readAllBytes(binary);
        Path symlink = Files.createSymbolicLink(dir.resolve("link.csv"), trace);
        Path hardlink = Files.createLink(dir.resolve("hard.csv"), trace);
        Map<String, String> before = listing();
        String dotted = dir + "/./x.csv";

        for (String[] args : List.of(
                new String[] {"convert", trace.toString(), trace.toString()},
                new String[] {"convert", trace.toString(), dotted},
                new String[] {"convert", trace.toString(), symlink.toString()},
                new String[] {"convert", trace.toString(), hardlink.toString()},
                // the format changes, the file is the same: an .mmtrace read and rewritten as CSV
                new String[] {"convert", "--to", "csv", binary.toString(), binary.toString()})) {
            CliRunner r = CliRunner.run(args);
            String out = args[args.length - 1];
            String in = args[args.length - 2];
            assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err()).isEqualTo("mmutrace: " + out + ": is the input " + in
                    + " of this run; refusing to write over an input (nothing was written)" + NL);
            assertThat(r.out()).isEmpty();
        }
        assertThat(Files.readAllBytes(trace)).isEqualTo(traceBytes);
        assertThat(Files.readAllBytes(binary)).isEqualTo(binaryBytes);
        assertThat(Files.isSymbolicLink(symlink)).isTrue();
        assertThat(listing()).isEqualTo(before);
    }

    @Test
    void replayReportsIntoTheDirectoryOfTheirInputAreRefusedBeforeTheReplay() throws IOException {
        // --format csv names the report of x.csv "x.csv": in the trace's own directory that is the trace.
        Map<String, String> before = listing();
        CliRunner r = CliRunner.run("replay", "--format", "csv", "--out", dir.toString(), trace.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("mmutrace: " + dir.resolve("x.csv") + ": is the input " + trace
                + " of this run; refusing to write over an input (nothing was written)" + NL);
        assertThat(Files.readAllBytes(trace)).isEqualTo(traceBytes);
        assertThat(listing()).isEqualTo(before);
    }

    @Test
    void anEventsLogOntoTheInputIsRefused() throws IOException {
        Map<String, String> before = listing();
        CliRunner r = CliRunner.run("replay", "--events-log", trace.toString(), trace.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("mmutrace: " + trace + ": is the input " + trace
                + " of this run; refusing to write over an input (nothing was written)" + NL);
        assertThat(r.out()).isEmpty();
        assertThat(Files.readAllBytes(trace)).isEqualTo(traceBytes);
        assertThat(listing()).isEqualTo(before);
    }

    @Test
    void aDirectoryWhereAFileBelongsIsRefusedAndKept() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("log"));
        Path full = Files.createDirectory(dir.resolve("out.csv"));
        Files.writeString(full.resolve("keep"), "kept");
        Map<String, String> before = listing();

        CliRunner log = CliRunner.run("replay", "--events-log", empty.toString(), trace.toString());
        assertThat(log.exit()).isEqualTo(2);
        assertThat(log.err()).isEqualTo("mmutrace: " + empty + ": is a directory; give the name of a file to write"
                + NL);
        CliRunner convert = CliRunner.run("convert", trace.toString(), full.toString());
        assertThat(convert.exit()).isEqualTo(2);
        assertThat(convert.err()).isEqualTo("mmutrace: " + full
                + ": is a directory; give the name of a file to write" + NL);

        assertThat(Files.isDirectory(empty)).isTrue();
        assertThat(Files.readString(full.resolve("keep"))).isEqualTo("kept");
        assertThat(Files.readAllBytes(trace)).isEqualTo(traceBytes);
        assertThat(listing()).isEqualTo(before);
    }

    @Test
    void aFifoIsStreamedToNeverReplacedAlsoThroughASymlink() throws Exception {
        Path expected = dir.resolve("expected.mmtrace");
        assertThat(CliRunner.run("convert", trace.toString(), expected.toString()).exit()).isZero();
        Path fifo = mkfifo(dir.resolve("pipe.mmtrace"));
        Path link = Files.createSymbolicLink(dir.resolve("link.mmtrace"), fifo);
        Map<String, String> before = listing();

        for (Path target : List.of(fifo, link)) {
            CompletableFuture<byte[]> read = readAllOf(fifo);
            CliRunner r = CliRunner.run("convert", trace.toString(), target.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(read.get(2, TimeUnit.MINUTES)).isEqualTo(Files.readAllBytes(expected));
        }

        assertThat(Files.readAttributes(fifo, BasicFileAttributes.class).isOther()).isTrue();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readAllBytes(trace)).isEqualTo(traceBytes);
        assertThat(listing()).isEqualTo(before);
    }

    @Test
    void aStreamClosedEarlyIsAOneLineFailureNamingTheTarget() throws Exception {
        Path fifo = mkfifo(dir.resolve("pipe.csv"));
        Map<String, String> before = listing();
        // The reader takes one byte and closes the FIFO: the rest of the 20,000-event trace meets a
        // broken pipe, as it would with `mmutrace generate ... - | head -c1`.
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return in.read();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        CliRunner r = CliRunner.run("generate", "mixed", "--events", "20000", fifo.toString());
        assertThat(reader.get(2, TimeUnit.MINUTES)).isEqualTo('#');
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("mmutrace: " + fifo + ": cannot write: broken pipe" + NL);
        assertThat(listing()).isEqualTo(before);
    }

    @Test
    void aSymlinkToARegularFileKeepsTheLinkAndReplacesItsTarget() throws IOException {
        Path real = dir.resolve("real.csv");
        Files.writeString(real, "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), real);
        assertThat(CliRunner.run("convert", trace.toString(), link.toString()).exit()).isZero();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        // CSV -> CSV of the sample is byte-identical (ConvertCommandTest's round trip)
        assertThat(Files.readAllBytes(real)).isEqualTo(traceBytes);
        assertThat(listing().keySet()).containsExactlyInAnyOrder("x.csv", "real.csv", "link.csv");
    }

    @Test
    void dashIsStandardOutputForConvertWithTo() throws IOException {
        Path expected = dir.resolve("expected.mmtrace");
        assertThat(CliRunner.run("convert", trace.toString(), expected.toString()).exit()).isZero();
        Map<String, String> before = listing();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();

        int exit = Mmutrace.run(new String[] {"convert", "--to", "binary", trace.toString(), "-"}, stdout,
                new PrintWriter(err, true));

        assertThat(exit).isZero();
        assertThat(stdout.toByteArray()).isEqualTo(Files.readAllBytes(expected));
        // with the trace on stdout, the summary goes to stderr (48 events, see ConvertCommandTest)
        assertThat(err.toString()).isEqualTo("converted 48 events: " + trace + " (csv) -> - (binary)" + NL);
        assertThat(listing()).isEqualTo(before);
    }

    @Test
    void dashWithoutToIsAUsageError() throws IOException {
        Map<String, String> before = listing();
        CliRunner r = CliRunner.run("convert", trace.toString(), "-");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("mmutrace: OUT '-' (standard output) has no name to tell the format by:"
                + " give --to binary or --to csv (see 'mmutrace convert --help')" + NL);
        assertThat(r.out()).isEmpty();
        assertThat(listing()).isEqualTo(before);
    }

    @Test
    void replayOutDashIsStandardOutputInEveryFormat() {
        for (String format : List.of("text", "json", "csv", "html")) {
            CliRunner plain = CliRunner.run("replay", "--format", format, trace.toString());
            CliRunner dash = CliRunner.run("replay", "--format", format, "--out", "-", trace.toString());
            assertThat(dash.exit()).isZero();
            assertThat(dash.out()).isEqualTo(plain.out()).isNotEmpty();
        }
    }

    @Test
    void twoOutputsOnStandardOutputAreRefused() throws IOException {
        Map<String, String> before = listing();
        CliRunner r = CliRunner.run("replay", "--events-log", "-", trace.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("mmutrace: standard output: two outputs of this run would go there"
                + " (also standard output); give them different names" + NL);
        assertThat(listing()).isEqualTo(before);
    }

    @Test
    void aFailedBatchLeavesNoneOfItsReports() throws IOException {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "# format_version: 7\n");
        Path out = dir.resolve("reports");
        Map<String, String> before = listing();
        CliRunner r = CliRunner.run("replay", "--format", "json", "--out", out.toString(), trace.toString(),
                bad.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("mmutrace: " + bad
                + ": line 1: field 'format_version': unknown format version 7 (this build reads 1 and 2)" + NL);
        // not even the directory it would have made, nor x.json of the good trace
        assertThat(listing()).isEqualTo(before);
        assertThat(Files.readAllBytes(trace)).isEqualTo(traceBytes);
    }

    @Test
    void reportsReplaceOlderOnesInPlace() throws IOException {
        Path out = Files.createDirectory(dir.resolve("reports"));
        Files.writeString(out.resolve("x.json"), "older");
        CliRunner r = CliRunner.run("replay", "--format", "json", "--out", out.toString(), trace.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(out.resolve("x.json")))
                .isEqualTo(CliRunner.run("replay", "--format", "json", trace.toString()).out());
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("x.json");
        }
    }

    /** A FIFO made by mkfifo(1) at {@code path}, inside the test's directory. */
    static Path mkfifo(Path path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
        return path;
    }

    private static CompletableFuture<byte[]> readAllOf(Path fifo) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readAllBytes(fifo);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private Map<String, String> listing() throws IOException {
        return DirectoryListing.of(dir);
    }
}
