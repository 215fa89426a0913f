package dev.mmutrace.analyze;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.mmutrace.replay.ModelFactory;
import dev.mmutrace.replay.ModelOptions;
import dev.mmutrace.replay.observe.ObservationSink;
import dev.mmutrace.replay.ReplayEngine;
import dev.mmutrace.replay.ReplayListener;
import dev.mmutrace.replay.observe.Observation;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.io.EventFanOut;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Replays one trace with its models split over several threads: the models never read each
 * other's state, so each group of them gets an engine of its own, and every engine is fed the
 * same decoded events ({@link EventFanOut}), the first group's thread decoding them. Each model's
 * observations go to its own analyzer in event order whichever thread it runs on, so the report
 * is the one a single engine gives, byte for byte.
 *
 * <p>The subtle thing: the threads must carry like shares, or the fastest waits for the
 * slowest. Models go to the least loaded thread, the costliest first, by the cost they state
 * ({@link ModelFactory#costPerEvent()}), the first thread starting with the cost of decoding;
 * and each engine repeats the engine's own work (guest memory, walks) for its group, which is
 * the price of sharing nothing.
 */
final class ModelThreads {
    /**
     * Decoding a version 2 binary trace, per event, in the units of
     * {@link ModelFactory#costPerEvent()} (docs/performance.md).
     */
    static final double DECODE_COST = 45;

    private ModelThreads() {
    }

    /**
     * {@code models} split into {@code min(threads, models)} groups, the first one the decoding
     * thread's (which may get no model at all when decoding is the bigger share); within a group
     * the models keep their given order. The same models and threads give the same split.
     */
    static List<List<ModelFactory>> groups(List<ModelFactory> models, int threads) {
        checkArgument(threads >= 1, "threads must be >= 1, got %s", threads);
        int n = Math.min(threads, models.size());
        double[] load = new double[n];
        load[0] = DECODE_COST;
        List<List<Integer>> members = new ArrayList<>();
        for (int g = 0; g < n; g++) {
            members.add(new ArrayList<>());
        }
        List<Integer> byCost = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            byCost.add(i);
        }
        // a stable sort: equal costs keep their order
        byCost.sort(Comparator.comparingDouble((Integer i) -> models.get(i).costPerEvent()).reversed());
        for (int i : byCost) {
            int least = 0;
            for (int g = 1; g < n; g++) {
                if (load[g] < load[least]) {
                    least = g;
                }
            }
            members.get(least).add(i);
            load[least] += models.get(i).costPerEvent();
        }
        List<List<ModelFactory>> groups = new ArrayList<>();
        for (List<Integer> m : members) {
            m.sort(Integer::compare);
            List<ModelFactory> g = new ArrayList<>();
            m.forEach(i -> g.add(models.get(i)));
            groups.add(ImmutableList.copyOf(g));
        }
        return groups;
    }

    /**
     * Replays {@code reader} through {@code groups}, one thread each (the caller's for the
     * first), into {@code analyzer}; returns the number of events. The first group's failure
     * (a bad record, which every thread meets at the same place) is the one thrown; else the
     * first other group's.
     */
    static long replay(TraceReader reader, List<List<ModelFactory>> groups, ModelOptions options,
            ReplayListener analyzer, ReplayListener progress) {
        return replay(reader, 0, groups, options, analyzer, progress);
    }

    /**
     * As above, the first event of {@code reader} being number {@code firstIndex} of the trace (a
     * window's); returns the number after the last event.
     */
    static long replay(TraceReader reader, long firstIndex, List<List<ModelFactory>> groups, ModelOptions options,
            ReplayListener analyzer, ReplayListener progress) {
        int followers = groups.size() - 1;
        ExecutorService pool = Executors.newFixedThreadPool(followers);
        try (EventFanOut fan = new EventFanOut(reader, followers)) {
            List<Future<Long>> others = new ArrayList<>();
            for (int g = 1; g <= followers; g++) {
                TraceReader events = fan.follower(g - 1);
                List<ModelFactory> group = groups.get(g);
                others.add(pool.submit(() -> {
                    try (TraceReader r = events) {
                        return new ReplayEngine(r.header(), group, options, modelsOf(analyzer, NONE, false)).run(r, firstIndex);
                    }
                }));
            }
            long events;
            try (TraceReader r = fan.leader()) {
                events = new ReplayEngine(r.header(), groups.get(0), options, modelsOf(analyzer, progress, true))
                        .run(r, firstIndex);
            } catch (RuntimeException | Error e) {
                others.forEach(BatchReplay::awaitQuietly);
                throw e;
            }
            for (Future<Long> f : others) {
                long counted = BatchReplay.await(f);
                if (counted != events) {
                    throw new IllegalStateException("a thread replayed " + counted + " events of " + events);
                }
            }
            analyzer.onEnd(events);
            return events;
        } finally {
            pool.shutdownNow();
        }
    }

    private static final ReplayListener NONE = (model, observation) -> {
    };

    /**
     * What one engine tells: its models' observations, each to that model's own analyzer (so
     * threads touch disjoint analyzers), and its event ends to {@code progress}; the end of the
     * replay is told once, by the caller, after every thread is done.
     */
    private static ReplayListener modelsOf(ReplayListener analyzer, ReplayListener progress, boolean leader) {
        return new ReplayListener() {
            /** The events themselves (the trace's gaps) from the leader only: every thread sees the same ones. */
            @Override
            public void onEventStart(long index, TraceEvent event) {
                if (leader) {
                    analyzer.onEventStart(index, event);
                }
            }

            @Override
            public void onObservation(String model, Observation observation) {
                analyzer.onObservation(model, observation);
            }

            @Override
            public ObservationSink sink(String model) {
                return analyzer.sink(model);
            }

            @Override
            public void onEventEnd(long index) {
                progress.onEventEnd(index);
            }

            @Override
            public void onEnd(long events) {
                progress.onEnd(events);
            }
        };
    }
}
