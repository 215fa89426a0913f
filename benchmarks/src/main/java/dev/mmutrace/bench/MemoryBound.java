package dev.mmutrace.bench;

import dev.mmutrace.trace.generate.Workload;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A long generated trace replayed through every model in a child JVM limited to 512 MiB, a run
 * ten times shorter of the same workload, and a run as long as the short one of the mixed
 * workload, whose many live address spaces hold about four times more table frames: the heap
 * after GC should be the same for the first two and follow the frames in the third, i.e. grow
 * with the guest's page tables, not with the trace.
 */
final class MemoryBound {
    private static final double MIB = 1024.0 * 1024.0;

    private MemoryBound() {
    }

    /** What one child run printed. */
    record Run(String workload, long events, boolean completed, List<long[]> points, long peak, String failure) {
        long lastHeap() {
            return points.isEmpty() ? 0 : points.get(points.size() - 1)[1];
        }

        long maxHeap() {
            return points.stream().mapToLong(p -> p[1]).max().orElse(0);
        }

        long lastFrames() {
            return points.isEmpty() ? 0 : points.get(points.size() - 1)[2];
        }
    }

    static List<Figure> figures(BenchInputs inputs) {
        String main = BenchInputs.WORKLOAD.wireName();
        Run small = child(main, inputs.settings().memoryShort());
        Run large = child(main, inputs.settings().memoryLong());
        Run mixed = child(Workload.MIXED.wireName(), inputs.settings().memoryShort());
        List<Figure> figures = new ArrayList<>();
        for (Run r : List.of(small, large, mixed)) {
            String n = String.format("%s %,d ev", r.workload, r.events);
            if (!r.completed) {
                figures.add(Figure.shown(n + ": completed", 0, "yes/no", r.failure));
                continue;
            }
            figures.add(Figure.shown(n + ": heap after GC", r.maxHeap() / MIB, "MiB",
                    String.format("max of %d points; %.1f MiB at the last", r.points.size(), r.lastHeap() / MIB)));
            figures.add(Figure.shown(n + ": page-table frames", r.lastFrames(), "frames",
                    "GuestMemory.frameCount() at the end"));
            figures.add(Figure.shown(n + ": peak heap", r.peak / MIB, "MiB",
                    "heap pools' peaks summed, garbage included: an upper bound"));
        }
        figures.add(Figure.held(String.format("%,d events replay within %s", large.events, BenchSettings.MEMORY_HEAP),
                large.completed ? 1 : 0, "yes/no", 1, "the child JVM ran to the end"));
        if (small.completed && large.completed) {
            figures.add(Figure.shown("heap after GC, long / short run", (double) large.maxHeap() / small.maxHeap(), "x",
                    String.format("trace %dx longer, page-table frames %.2fx", large.events / small.events,
                            (double) large.lastFrames() / Math.max(1, small.lastFrames()))));
        }
        if (small.completed && mixed.completed) {
            figures.add(Figure.shown("heap after GC, mixed / fork-exec-exit",
                    (double) mixed.maxHeap() / small.maxHeap(), "x",
                    String.format("same trace length, page-table frames %.1fx",
                            (double) mixed.lastFrames() / Math.max(1, small.lastFrames()))));
        }
        return figures;
    }

    private static Run child(String workload, long events) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, BenchSettings.MEMORY_HEAP, "-cp", System.getProperty("java.class.path"),
                HeapProbe.class.getName(), Long.toString(events), workload);
        List<long[]> points = new ArrayList<>();
        long peak = 0;
        StringBuilder other = new StringBuilder();
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    String[] w = line.split(" ");
                    if (w.length == 6 && w[0].equals("at")) {
                        points.add(new long[] {Long.parseLong(w[1]), Long.parseLong(w[3]), Long.parseLong(w[5])});
                    } else if (w.length == 4 && w[0].equals("peak")) {
                        peak = Long.parseLong(w[1]);
                    } else if (other.length() < 300) {
                        other.append(line).append(' ');
                    }
                }
            }
            int code = p.waitFor();
            boolean completed = code == 0 && peak > 0;
            return new Run(workload, events, completed, points, peak,
                    completed ? "" : "child exited with " + code + ": " + other.toString().trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the memory run", e);
        }
    }
}
