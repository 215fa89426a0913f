package dev.mmutrace.bench;

import dev.mmutrace.analyze.CostTable;
import dev.mmutrace.analyze.TraceAnalyzer;
import dev.mmutrace.replay.ModelFactory;
import dev.mmutrace.replay.ModelOptions;
import dev.mmutrace.replay.ReplayEngine;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.generate.GeneratorSettings;
import dev.mmutrace.trace.generate.Workload;
import dev.mmutrace.trace.generate.WorkloadGenerator;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The child JVM of the memory figure: replays a generated trace of N events (fork-exec-exit
 * unless a second argument names another workload) through every model
 * (the analyzers included) straight from the generator, and at ten points along the way collects
 * the garbage and prints the heap still in use beside the guest's page-table frames. The stream
 * is the one {@code mmutrace generate} would write, so no multi-gigabyte file is needed.
 *
 * <p>Output, one line per point then one at the end:
 * {@code at EVENTS heap BYTES frames N} and {@code peak BYTES events N}.
 */
public final class HeapProbe {
    static final int POINTS = 10;

    private HeapProbe() {
    }

    public static void main(String[] args) {
        long events = Long.parseLong(args[0]);
        Workload workload = args.length > 1 ? Workload.fromWireName(args[1]).orElseThrow() : BenchInputs.WORKLOAD;
        WorkloadGenerator generator = new WorkloadGenerator(
                new GeneratorSettings(workload, 1, events, BenchInputs.MODE, BenchInputs.VCPUS));
        List<ModelFactory> models = Replays.all();
        List<String> names = new ArrayList<>();
        models.forEach(f -> names.add(f.name()));
        TraceAnalyzer analyzer = new TraceAnalyzer("generated", generator.header(), names, CostTable.DEFAULTS, 0);
        ReplayEngine engine = new ReplayEngine(generator.header(), models, ModelOptions.DEFAULTS, analyzer);
        resetPeaks();
        long step = Math.max(1, events / POINTS);
        Iterator<TraceEvent> probed = new Iterator<>() {
            private long seen;

            @Override
            public boolean hasNext() {
                return generator.hasNext();
            }

            @Override
            public TraceEvent next() {
                TraceEvent e = generator.next();
                if (++seen % step == 0) {
                    point(seen, engine);
                }
                return e;
            }
        };
        long n = engine.run(probed);
        analyzer.report();
        System.out.println("peak " + peakHeap() + " events " + n);
    }

    private static void point(long seen, ReplayEngine engine) {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        System.out.println("at " + seen + " heap " + (rt.totalMemory() - rt.freeMemory()) + " frames "
                + engine.memory().frameCount());
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** The sum of the heap pools' peaks: an upper bound of the heap ever in use at once. */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
