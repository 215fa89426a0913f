package dev.mmutrace.trace.io;

import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceReader;
import java.nio.file.Path;

/**
 * Reads a trace to the end in its own JVM and prints how many events it read and how many of
 * them were entry updates (so the decoding cannot be skipped). LargeTraceStreamingTest runs it
 * with a heap far smaller than the trace.
 */
public final class StreamCount {
    private StreamCount() {
    }

    public static void main(String[] args) {
        long events = 0;
        long updates = 0;
        try (TraceReader r = TraceFiles.open(Path.of(args[0]))) {
            while (r.hasNext()) {
                TraceEvent e = r.next();
                events++;
                if (e.type().isEntryUpdate()) {
                    updates++;
                }
            }
        }
        System.out.println(events + " " + updates);
    }
}
