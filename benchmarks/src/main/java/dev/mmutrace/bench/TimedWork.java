package dev.mmutrace.bench;

import dev.mmutrace.analyze.BatchReplay;
import dev.mmutrace.analyze.TraceSource;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.io.TraceFiles;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * {@code java <the launcher's JVM options> -cp mmutrace-bench.jar dev.mmutrace.bench.TimedWork
 * WORK WARMUPS RUNS FILE...}: the child JVM in which the bench times an in-JVM figure
 * ({@link TimedChildren}), so that the figure owes nothing to what the bench's own JVM ran before
 * it (the generator and encoders, the other figures), and runs with the collector and options a
 * user's {@code mmutrace} gets. It prints one line per timed run, {@code run NAME WALL_NS CPU_NS
 * PROBE_NS} ({@link ChildRuns}): wall clock, this thread's cpu time, and the {@link MachineProbe}
 * timed just before the run. Before a figure's runs it prints {@code warmups NAME COUNT}, how many
 * warm-ups it did: the decode's depend on its heap, the models' on the JIT and the heap
 * ({@link WarmupRule}).
 */
public final class TimedWork {
    /**
     * A decode takes ~60 ms: at least five times the warm-ups and three times the runs of the other
     * figures; and more warm-ups until the young generation has stopped growing ({@link WarmupRule}):
     * 33-83 in the children measured, so at most 100 (~6 s), after which the runs are timed all the
     * same.
     */
    static final int DECODE_WARMUPS = 5;
    static final int DECODE_MOST_WARMUPS = 100;
    static final int DECODE_RUNS = 3;
    /**
     * A batch round takes ~1.7 s, but C2 is still compiling the replay's hot methods ~3.7 s after
     * the start (-XX:+PrintCompilation), on either core: twice the warm-up rounds of the settings.
     */
    static final int BATCH_WARMUPS = 2;
    /**
     * Each model warms up until a warm-up in which the JIT compiled nothing of note and the young
     * generation did not grow ({@link WarmupRule.Until#JIT_QUIET}): 3-5 in the children measured
     * (C2 was still compiling in a model's 2nd-4th runs), so at most twelve times the settings'
     * warm-ups, after which the runs are timed all the same.
     */
    static final int MODEL_MOST_WARMUPS = 12;

    /** What a child times; {@link #wire()} is its first argument. */
    enum Work {
        /** The binary decode alone, then the replay through all models with one thread and with two. */
        DECODE_AND_REPLAY,
        /** Each model alone over the trace's events decoded into memory beforehand. */
        MODELS,
        /** Several traces through all models with one worker thread and with two, in turn round after round. */
        BATCH;

        String wire() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Work fromWire(String s) {
            for (Work w : values()) {
                if (w.wire().equals(s)) {
                    return w;
                }
            }
            throw new IllegalArgumentException("no work named " + s);
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final PrintStream out;
    private final MachineProbe probe;
    private final Supplier<JvmReading> jvm;

    /** {@code jvm} reads the JVM for the warm-ups that depend on it ({@link JvmReading#now} in a child). */
    TimedWork(PrintStream out, MachineProbe probe, Supplier<JvmReading> jvm) {
        this.out = out;
        this.probe = probe;
        this.jvm = jvm;
    }

    public static void main(String[] args) {
        Work work = Work.fromWire(args[0]);
        int warmups = Integer.parseInt(args[1]);
        int runs = Integer.parseInt(args[2]);
        List<Path> files = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            files.add(Path.of(args[i]));
        }
        TimedWork t = new TimedWork(System.out, new MachineProbe(), JvmReading::now);
        switch (work) {
            case DECODE_AND_REPLAY -> {
                Path trace = files.get(0);
                t.time("decode", WarmupRule.heapSettled(warmups * DECODE_WARMUPS, warmups * DECODE_MOST_WARMUPS),
                        runs * DECODE_RUNS, () -> Replays.decode(trace));
                t.time("replay, 1 thread", WarmupRule.fixed(warmups), runs, () -> Replays.file(trace, Replays.all()));
                t.time("replay, 2 threads", WarmupRule.fixed(warmups), runs,
                        () -> Replays.fileTwoThreads(trace, Replays.all()));
            }
            case MODELS -> {
                Path trace = files.get(0);
                TraceHeader header = Replays.header(trace);
                List<TraceEvent> events = new ArrayList<>();
                try (TraceReader r = TraceFiles.open(trace)) {
                    r.forEachRemaining(events::add);
                }
                for (String model : List.of("native", "xen", "lguest")) {
                    var only = List.of(Replays.model(model));
                    t.time(model, WarmupRule.jitQuiet(warmups, warmups * MODEL_MOST_WARMUPS), runs,
                            () -> Replays.inMemory(header, events, only));
                }
            }
            case BATCH -> {
                List<TraceSource> sources = new ArrayList<>();
                files.forEach(p -> sources.add(Replays.source(p)));
                BatchReplay batch = Replays.batch(Replays.all());
                t.inTurn("jobs 1", () -> batch.replayAll(sources, 1), "jobs 2", () -> batch.replayAll(sources, 2),
                        warmups * BATCH_WARMUPS, runs);
            }
        }
        System.out.flush();
    }

    /** Warms {@code work} up until {@code warmUntil} says so, prints how often, then times {@code runs} runs. */
    void time(String name, WarmupRule warmUntil, int runs, Runnable work) {
        List<JvmReading> readings = new ArrayList<>(List.of(jvm.get()));
        while (!warmUntil.done(readings)) {
            work.run();
            readings.add(jvm.get());
        }
        out.println(ChildRuns.line(new ChildRuns.Warmups(name, readings.size() - 1)));
        for (int i = 0; i < runs; i++) {
            once(name, work);
        }
    }

    /**
     * Both pieces of work round after round, the one that goes first changing each round, so that
     * a slow spell of the machine falls on both sides rather than on a whole side: timed one side
     * after the other, a spell during the second side's runs moved the ratio by a tenth.
     */
    void inTurn(String firstName, Runnable first, String secondName, Runnable second, int warmups,
            int rounds) {
        for (int i = 0; i < warmups; i++) {
            first.run();
            second.run();
        }
        for (int i = 0; i < rounds; i++) {
            if (i % 2 == 0) {
                once(firstName, first);
                once(secondName, second);
            } else {
                once(secondName, second);
                once(firstName, first);
            }
        }
    }

    private void once(String name, Runnable work) {
        long probed = probe.nanos();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        work.run();
        long wall = System.nanoTime() - t0;
        long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
        out.println(ChildRuns.line(new ChildRuns.Run(name, wall, cpu, probed)));
    }
}
