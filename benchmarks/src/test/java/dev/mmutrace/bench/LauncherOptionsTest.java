package dev.mmutrace.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JVM options read from the mmutrace launcher, which the bench's timing children start with. */
class LauncherOptionsTest {
    @TempDir
    Path dir;

    @Test
    void theOptionsAreTheWordsBeforeJar() {
        String argv = "-XX:+UseParallelGC\0-Xmx2g\0-jar\0/x/mmutrace.jar\0--version\0";
        assertThat(LauncherOptions.beforeJar(Path.of("mmutrace"), argv))
                .containsExactly("-XX:+UseParallelGC", "-Xmx2g");
    }

    @Test
    void aLauncherThatRunsNoJarIsAnError() {
        assertThatThrownBy(() -> LauncherOptions.beforeJar(Path.of("/x/mmutrace"), "-version\0"))
                .hasMessage("/x/mmutrace ran java without -jar: -version");
    }

    @Test
    void theProjectsLauncherIsReadByRunningIt() throws Exception {
        // the launcher (analyzers/src/main/launcher/mmutrace) in a directory of its own with a jar and an archive
        // made after it: it passes the archive (-XX:SharedArchiveFile=DIR/mmutrace.jsa, -Xshare:auto, cds and
        // class+path logging off), then its inlining limit, -XX:FreqInlineSize=70, then -XX:+UseParallelGC as no
        // collector is named in MMUTRACE_JAVA_OPTS (each set -- puts its words before those set earlier)
        Path build = Files.createDirectories(dir.resolve("build")).toRealPath();
        Path launcher = build.resolve("mmutrace");
        Files.copy(Path.of("..", "analyzers", "src", "main", "launcher", "mmutrace"), launcher);
        launcher.toFile().setExecutable(true);
        Path jar = Files.writeString(build.resolve("mmutrace.jar"), "");
        Path jsa = Files.writeString(build.resolve("mmutrace.jsa"), "");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000_000_000_000L));
        Files.setLastModifiedTime(jsa, FileTime.fromMillis(1_000_000_060_000L));
        Path scratch = Files.createDirectories(dir.resolve("scratch"));

        List<String> options = LauncherOptions.read(launcher, scratch);

        assertThat(options).containsExactly("-XX:SharedArchiveFile=" + jsa, "-Xshare:auto", "-Xlog:cds*=off",
                "-Xlog:class+path=off", "-XX:FreqInlineSize=70", "-XX:+UseParallelGC");
        assertThat(LauncherOptions.described(options)).isEqualTo("java -XX:FreqInlineSize=70 -XX:+UseParallelGC");
    }
}
