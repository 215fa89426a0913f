package dev.mmutrace.bench;

import static com.google.common.base.Preconditions.checkArgument;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A command the bench runs as a child process and times from its start to its exit, the way a
 * user's shell would run it: {@code name} is what the figures call it, {@code words} its argv,
 * {@code environment} what it adds to the bench's environment.
 */
public record Child(String name, List<String> words, Map<String, String> environment) {

    public Child {
        checkArgument(!name.isBlank() && !words.isEmpty(), "a child command needs a name and words");
        words = List.copyOf(words);
        environment = Map.copyOf(environment);
    }

    public Child(String name, List<String> words) {
        this(name, words, Map.of());
    }

    /** A command found on the PATH, such as {@code cat}, {@code mawk} or {@code wc}. */
    public static Child of(String name, String... words) {
        return new Child(name, List.of(words));
    }

    /**
     * {@code mmutrace ARGS}, what a user runs: the launcher of this build, on the JDK running the
     * bench (its JAVA_HOME), the JDK that made the launcher's archive when the bench's build did.
     */
    public static Child mmutrace(BenchInputs inputs, String name, String... args) {
        List<String> w = new ArrayList<>(List.of(inputs.launcher().toString()));
        w.addAll(List.of(args));
        return new Child(name, w, Map.of("JAVA_HOME", System.getProperty("java.home")));
    }

    /** {@code java -cp <the bench's class path> MAIN ARGS}: a bench-only main as a whole process. */
    public static Child bench(String name, Class<?> main, String... args) {
        return bench(name, List.of(), main, args);
    }

    /** The same with JVM options before the class path (the launcher's, {@link LauncherOptions}). */
    public static Child bench(String name, List<String> jvmOptions, Class<?> main, String... args) {
        List<String> w = new ArrayList<>(List.of(java()));
        w.addAll(jvmOptions);
        w.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        w.addAll(List.of(args));
        return new Child(name, w);
    }

    /** The java of the JVM running the bench, so that children run on the same JDK. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
