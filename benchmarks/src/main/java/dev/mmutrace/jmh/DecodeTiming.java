package dev.mmutrace.jmh;

import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.io.TraceFiles;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Whole-file decode timing, the files taken in turn round after round so that each sees the same
 * machine: {@code java -cp benchmarks/target/benchmarks.jar dev.mmutrace.jmh.DecodeTiming ROUNDS
 * FILE...}. Per file it prints the median of the rounds (the first round of each is warm-up and
 * left out) as wall-clock and as the decoding thread's CPU time, in events/s. On a machine others
 * share, the CPU time is the steadier figure: it counts only the time the decoder ran.
 */
public final class DecodeTiming {
    private DecodeTiming() {
    }

    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<List<long[]>> times = new ArrayList<>();
        long[] events = new long[args.length - 1];
        for (int f = 1; f < args.length; f++) {
            times.add(new ArrayList<>());
        }
        for (int round = 0; round <= rounds; round++) {
            for (int f = 1; f < args.length; f++) {
                long wall = System.nanoTime();
                long cpu = threads.getCurrentThreadCpuTime();
                long n = 0;
                try (TraceReader r = TraceFiles.open(Path.of(args[f]))) {
                    while (r.hasNext()) {
                        r.next();
                        n++;
                    }
                }
                long[] t = {System.nanoTime() - wall, threads.getCurrentThreadCpuTime() - cpu};
                events[f - 1] = n;
                if (round > 0) {
                    times.get(f - 1).add(t);
                }
            }
        }
        for (int f = 1; f < args.length; f++) {
            List<Long> wall = new ArrayList<>();
            List<Long> cpu = new ArrayList<>();
            for (long[] t : times.get(f - 1)) {
                wall.add(t[0]);
                cpu.add(t[1]);
            }
            System.out.printf(Locale.ROOT, "%s: %,d events; median of %d: wall %.3f s (%,.0f events/s), thread CPU"
                    + " %.3f s (%,.0f events/s); best CPU %.3f s%n", args[f], events[f - 1], rounds,
                    median(wall) / 1e9, events[f - 1] / (median(wall) / 1e9), median(cpu) / 1e9,
                    events[f - 1] / (median(cpu) / 1e9), Collections.min(cpu) / 1e9);
        }
    }

    private static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
