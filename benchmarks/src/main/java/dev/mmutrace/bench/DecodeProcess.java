package dev.mmutrace.bench;

import java.nio.file.Path;

/**
 * {@code java -cp mmutrace-bench.jar dev.mmutrace.bench.DecodeProcess FILE}: the bench's decode
 * (every event of FILE through the public reader) as a whole process, JVM start included, so it
 * can be timed beside {@code cat} over the same file. Prints the event count.
 */
public final class DecodeProcess {
    private DecodeProcess() {
    }

    public static void main(String[] args) {
        System.out.println(Replays.decode(Path.of(args[0])));
    }
}
