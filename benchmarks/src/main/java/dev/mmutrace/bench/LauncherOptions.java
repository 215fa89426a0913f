package dev.mmutrace.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The JVM options the {@code mmutrace} launcher gives a run (the collector, the class-data-sharing
 * archive, and whatever {@code MMUTRACE_JAVA_OPTS} adds), read from the launcher itself rather than
 * repeated here: the launcher runs {@code $JAVA_HOME/bin/java}, so it is run once with a
 * {@code JAVA_HOME} whose {@code java} only writes down its arguments. The options are the words
 * before {@code -jar}.
 */
final class LauncherOptions {
    private static final String RECORDER = "#!/bin/sh\n"
            + "# stands in for java: writes down the arguments the mmutrace launcher passes, a NUL after each\n"
            + "printf '%s\\0' \"$@\" > \"$BENCH_ARGV\"\n";

    private LauncherOptions() {
    }

    /** The options {@code launcher} passes to java, found by running it in {@code scratch}. */
    static List<String> read(Path launcher, Path scratch) {
        try {
            Path home = Files.createDirectories(scratch.resolve("launcher-options"));
            Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
            Files.writeString(java, RECORDER, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path argv = home.resolve("argv");
            SideBySide.once(new Child("launcher's JVM options", List.of(launcher.toString(), "--version"),
                    Map.of("JAVA_HOME", home.toString(), "BENCH_ARGV", argv.toString())), scratch);
            return beforeJar(launcher, Files.readString(argv, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The words of {@code argv} (each ended by a NUL) before {@code -jar}: the JVM's options. */
    static List<String> beforeJar(Path launcher, String argv) {
        List<String> words = argv.isEmpty() ? List.of() : Arrays.asList(argv.split("\0", -1));
        if (!words.isEmpty() && words.get(words.size() - 1).isEmpty()) {
            words = words.subList(0, words.size() - 1);
        }
        int jar = words.indexOf("-jar");
        if (jar < 0) {
            throw new IllegalStateException(launcher + " ran java without -jar: " + String.join(" ", words));
        }
        return List.copyOf(words.subList(0, jar));
    }

    /**
     * The options that bear on a run's speed once started, for a figure's description: those of
     * the class-data-sharing archive and of logging are left out (they only change the start).
     */
    static String described(List<String> options) {
        List<String> speed = options.stream().filter(o -> !o.startsWith("-XX:SharedArchiveFile=")
                && !o.startsWith("-Xshare:") && !o.startsWith("-Xlog:")).toList();
        return speed.isEmpty() ? "java" : "java " + String.join(" ", speed);
    }
}
