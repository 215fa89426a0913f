package dev.mmutrace.cli;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher the build writes beside the CLI jar ({@code analyzers/target/mmutrace}, docs/performance.md
 * "Start-up"), run as a user runs it: a process in a temporary directory. It must print exactly
 * what {@code java -jar mmutrace.jar} prints, map its class-data-sharing archive when it can, and
 * when it cannot (another JDK's archive, a moved or rebuilt jar) start the normal way without a
 * word. Runs after {@code package} (failsafe), since it needs the built launcher, jar and archive.
 */
class LauncherIT {
    /** What -Xlog:class+load prints for a class the JVM mapped from a CDS archive instead of reading it. */
    private static final String MAIN_FROM_ARCHIVE = "dev.mmutrace.cli.Mmutrace source: shared objects file";

    @TempDir
    Path dir;

    private Path target;
    private Path sample;
    private String expectedReport;

    @BeforeEach
    void built() throws Exception {
        target = Path.of(System.getProperty("mmutrace.target", "target")).toAbsolutePath();
        assertThat(target.resolve("mmutrace")).isExecutable();
        assertThat(target.resolve("mmutrace.jsa")).isRegularFile();
        sample = Path.of("..", "sample-traces", "boot-2level.csv").toAbsolutePath().normalize();
        Run plain = run(List.of(java(), "-jar", target.resolve("mmutrace.jar").toString(), "replay", sample.toString()),
                Map.of());
        assertThat(plain.exit()).isZero();
        // The README's excerpt of this report; the whole report is SampleTracesTest's business.
        assertThat(plain.out()).contains("events replayed                  48       48       48");
        expectedReport = plain.out();
    }

    @Test
    void printsWhatJavaDashJarPrints() throws Exception {
        Run r = launch(target.resolve("mmutrace"), Map.of());
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(expectedReport);
    }

    @Test
    void mapsItsArchive() throws Exception {
        // -Xshare:on makes an archive the JVM cannot map a fatal error instead of a quiet fallback.
        Run r = launch(target.resolve("mmutrace"), Map.of("MMUTRACE_JAVA_OPTS", "-Xshare:on -Xlog:class+load=info"));
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains(MAIN_FROM_ARCHIVE);
    }

    @Test
    void findsItsJarAndArchiveThroughASymlinkFromElsewhere() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path link = Files.createSymbolicLink(bin.resolve("mmutrace"), target.resolve("mmutrace"));
        Run r = launch(link, Map.of("MMUTRACE_JAVA_OPTS", "-Xshare:on -Xlog:class+load=info"));
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains(MAIN_FROM_ARCHIVE);
        assertThat(launch(link, Map.of()).out()).isEqualTo(expectedReport);
    }

    @Test
    void anotherJdksArchiveIsIgnoredSilently() throws Exception {
        Path copy = copyOfTheBuild("other-jdk");
        // The header names the JVM that wrote the archive ("OpenJDK 64-Bit Server VM (17.0.15+6...)");
        // one changed letter of that name is what another build of the JDK looks like to this one.
        byte[] jsa = Files.readAllBytes(copy.resolve("mmutrace.jsa"));
        int at = new String(jsa, 0, Math.min(jsa.length, 1 << 16), ISO_8859_1).indexOf("Server VM");
        assertThat(at).isPositive();
        jsa[at] = (byte) 'X';
        Files.write(copy.resolve("mmutrace.jsa"), jsa);
        Files.setLastModifiedTime(copy.resolve("mmutrace.jsa"), FileTime.fromMillis(System.currentTimeMillis()));
        assertFallsBackSilently(copy);
    }

    @Test
    void aMovedBuildStartsWithoutItsArchiveSilently() throws Exception {
        // The archive names the jar by the path it was made from: a copy elsewhere does not match.
        assertFallsBackSilently(copyOfTheBuild("moved"));
    }

    @Test
    void aJarRebuiltAfterTheArchiveStartsWithoutItSilently() throws Exception {
        Path copy = copyOfTheBuild("rebuilt");
        Files.setLastModifiedTime(copy.resolve("mmutrace.jar"),
                FileTime.fromMillis(Files.getLastModifiedTime(copy.resolve("mmutrace.jsa")).toMillis() + 60_000));
        assertFallsBackSilently(copy);
    }

    private void assertFallsBackSilently(Path build) throws Exception {
        Run r = launch(build.resolve("mmutrace"), Map.of());
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(expectedReport);
        Run logged = launch(build.resolve("mmutrace"), Map.of("MMUTRACE_JAVA_OPTS", "-Xlog:class+load=info"));
        assertThat(logged.out()).doesNotContain(MAIN_FROM_ARCHIVE);
    }

    /** The launcher, jar and archive copied (times kept) into a directory of their own under {@code dir}. */
    private Path copyOfTheBuild(String name) throws IOException {
        Path copy = Files.createDirectories(dir.resolve(name));
        for (String f : List.of("mmutrace", "mmutrace.jar", "mmutrace.jsa")) {
            Files.copy(target.resolve(f), copy.resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
        }
        copy.resolve("mmutrace.jsa").toFile().setWritable(true);
        return copy;
    }

    /** {@code LAUNCHER replay SAMPLE} on this test's JDK (JAVA_HOME), plus {@code env}. */
    private Run launch(Path launcher, Map<String, String> env) throws Exception {
        return run(List.of(launcher.toString(), "replay", sample.toString()), env);
    }

    private Run run(List<String> words, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(words)).directory(dir.toFile());
        pb.environment().remove("MMUTRACE_JAVA_OPTS");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(words + " still running after two minutes");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private record Run(int exit, String out, String err) {
    }
}
