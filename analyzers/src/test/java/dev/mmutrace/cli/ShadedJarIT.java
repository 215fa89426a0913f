package dev.mmutrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The CLI jar against the runtime dependencies it was shaded from (analyzers/pom.xml). The shade
 * plugin's minimizeJar cuts fastutil down to the classes the others reach, and must cut nothing
 * else: Jackson, picocli and ServiceLoader reach classes by reflection, which no bytecode names, so
 * a cut there shows only when a user's run reaches one. A dependency whose group no filter in the
 * pom names would be cut silently; here it fails the build, named with the classes it lost.
 * Runs after {@code package} (failsafe), on the jar and the class path the build wrote.
 */
class ShadedJarIT {
    /** The one dependency the jar may hold in part: its file name starts so. */
    private static final String CUT_DOWN = "fastutil-";

    @Test
    void everyRuntimeDependencyButFastutilIsInTheJarWhole() throws IOException {
        Path target = Path.of(System.getProperty("mmutrace.target", "target")).toAbsolutePath();
        Set<String> shaded = classes(target.resolve("mmutrace.jar"));
        List<Path> dependencies = Arrays.stream(Files.readString(target.resolve("runtime-class-path.txt")).trim()
                .split(File.pathSeparator)).map(Path::of).toList();
        // the list is the build's own: fastutil, which the jar holds in part, and the modules are on it
        assertThat(dependencies).anyMatch(d -> d.getFileName().toString().startsWith(CUT_DOWN))
                .anyMatch(d -> d.toString().contains("tracer-format"))
                .anyMatch(d -> d.getFileName().toString().startsWith("picocli-"));

        Map<String, List<String>> lost = new TreeMap<>();
        for (Path dependency : dependencies) {
            if (dependency.getFileName().toString().startsWith(CUT_DOWN)) {
                continue;
            }
            List<String> missing = classes(dependency).stream().filter(c -> !shaded.contains(c)).sorted().toList();
            if (!missing.isEmpty()) {
                lost.put(dependency.getFileName() + ": " + missing.size() + " of its classes missing",
                        missing.subList(0, Math.min(3, missing.size())));
            }
        }
        assertThat(lost).as("dependencies minimizeJar cut down: give their group a filter in analyzers/pom.xml")
                .isEmpty();
    }

    /** The classes of a jar or a directory of classes, by their path inside it; module-info is the shade filter's to drop. */
    private static Set<String> classes(Path jarOrDirectory) throws IOException {
        if (Files.isDirectory(jarOrDirectory)) {
            try (Stream<Path> files = Files.walk(jarOrDirectory)) {
                return files.map(f -> jarOrDirectory.relativize(f).toString().replace(File.separatorChar, '/'))
                        .filter(ShadedJarIT::isKeptClass).collect(Collectors.toSet());
            }
        }
        try (ZipFile jar = new ZipFile(jarOrDirectory.toFile())) {
            return jar.stream().map(ZipEntry::getName).filter(ShadedJarIT::isKeptClass).collect(Collectors.toSet());
        }
    }

    private static boolean isKeptClass(String name) {
        return name.endsWith(".class") && !name.endsWith("module-info.class");
    }
}
