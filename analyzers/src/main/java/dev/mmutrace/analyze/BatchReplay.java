package dev.mmutrace.analyze;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.mmutrace.replay.AccessRequest;
import dev.mmutrace.replay.ModelFactory;
import dev.mmutrace.replay.ModelOptions;
import dev.mmutrace.replay.ReplayEngine;
import dev.mmutrace.replay.ReplayListener;
import dev.mmutrace.replay.observe.Observation;
import dev.mmutrace.replay.observe.ObservationSink;
import dev.mmutrace.report.TraceReport;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.io.ReadAheadReader;
import dev.mmutrace.trace.io.TaskResults;
import dev.mmutrace.trace.window.WindowStart;
import dev.mmutrace.trace.window.WindowedReader;
import java.util.ArrayList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Replays many traces, each on its own engine and analyzers, on {@code jobs} threads. Replays
 * share nothing, so a trace's report is the same whatever runs beside it; the reports come back
 * in input order. The first failing trace in input order fails the batch. With fewer than two
 * threads per trace the traces take turns on the threads a slice of events at a time
 * ({@link TraceTurns}), so that they end together. With at least two threads per trace, each
 * trace has one of its own and its decoding runs ahead on another ({@link ReadAheadReader}): the
 * same events in the same order, so the same report, sooner. One
 * large trace with two or more models and threads goes further: its models are split over the
 * threads ({@link ModelThreads}), fed from one decoding, and give the same report again.
 */
public final class BatchReplay {
    /** Progress is reported every this many events, to keep the per-event path free of it. */
    private static final long PROGRESS_CHUNK = 1 << 16;

    private final List<ModelFactory> models;
    private final ModelOptions options;
    private final CostTable costs;
    private final long interval;
    /** One more listener per trace (the per-event log), when there is one. */
    private final Optional<Function<TraceSource, ReplayListener>> extraListener;
    private final ReplayProgress progress;

    /**
     * @param extraListener one more listener per trace (the per-event log), or one that ignores everything
     */
    public BatchReplay(List<ModelFactory> models, ModelOptions options, CostTable costs, long interval,
            Function<TraceSource, ReplayListener> extraListener, ReplayProgress progress) {
        checkArgument(!models.isEmpty(), "no model to replay through");
        this.models = ImmutableList.copyOf(models);
        this.options = options;
        this.costs = costs;
        this.interval = interval;
        this.extraListener = Optional.of(extraListener);
        this.progress = progress;
    }

    /** Without an extra listener: a single trace's models may then run on threads of their own. */
    public BatchReplay(List<ModelFactory> models, ModelOptions options, CostTable costs, long interval,
            ReplayProgress progress) {
        checkArgument(!models.isEmpty(), "no model to replay through");
        this.models = ImmutableList.copyOf(models);
        this.options = options;
        this.costs = costs;
        this.interval = interval;
        this.extraListener = Optional.empty();
        this.progress = progress;
    }

    public BatchReplay(List<ModelFactory> models, ModelOptions options, CostTable costs, long interval) {
        this(models, options, costs, interval, ReplayProgress.NONE);
    }

    /**
     * A trace this big or bigger (or of unknown size, read from a pipe) is worth threads of its
     * own for its models: about 100,000 events in a binary trace, 20,000 in CSV, some tens of
     * milliseconds of replay against the fraction of one it takes to start the threads.
     */
    static final long LARGE_TRACE_BYTES = 1 << 20;

    private static final ReplayListener IGNORE = (model, observation) -> {
    };

    /** Replays one trace on the calling thread. */
    public TraceReport replay(TraceSource source) {
        return replay(source, false);
    }

    /** Replays one trace on the calling thread, its decoding on another one when {@code readAhead}. */
    private TraceReport replay(TraceSource source, boolean readAhead) {
        try (Started s = start(source, readAhead)) {
            s.advance(Long.MAX_VALUE);
            return s.finish();
        }
    }

    /** {@code source} opened, its analyzer and engine made, ready for its first event. */
    private Started start(TraceSource source, boolean readAhead) {
        Opened opened = open(source);
        TraceReader reader = readAhead ? decodedAhead(opened.reader()) : opened.reader();
        try {
            TraceAnalyzer analyzer = opened.analyzer(models, costs, interval);
            ReplayListener extra = extraListener.map(f -> f.apply(source)).orElse(IGNORE);
            ReplayEngine engine = new ReplayEngine(reader.header(), models, options,
                    both(opened.gated(analyzer), opened.gated(extra)));
            return new Started(source, reader, analyzer, engine.start(reader, opened.firstIndex()));
        } catch (RuntimeException | Error e) {
            reader.close();
            throw e;
        }
    }

    /** One trace's replay under way; closing it closes its reader. */
    private final class Started implements TraceTurns.Turn<TraceReport> {
        private final TraceSource source;
        private final TraceReader reader;
        private final TraceAnalyzer analyzer;
        private final ReplayEngine.Run run;

        Started(TraceSource source, TraceReader reader, TraceAnalyzer analyzer, ReplayEngine.Run run) {
            this.source = source;
            this.reader = reader;
            this.analyzer = analyzer;
            this.run = run;
        }

        @Override
        public boolean advance(long max) {
            return run.advance(max);
        }

        @Override
        public TraceReport finish() {
            run.finish();
            progress.traceDone(source.path());
            return analyzer.report();
        }

        @Override
        public void close() {
            reader.close();
        }
    }

    /**
     * A trace opened for replay: the whole of it, or its window ({@link WindowedReader}: without
     * --warm the events before the window are read past here, so the first number is known).
     */
    private record Opened(TraceSource source, TraceReader reader, WindowStart start) {

        long firstIndex() {
            return reader instanceof WindowedReader w ? w.firstIndex() : 0;
        }

        TraceAnalyzer analyzer(List<ModelFactory> models, CostTable costs, long interval) {
            return TraceAnalyzer.of(source.path(), reader.header(), models, costs, interval, source.window(), start);
        }

        /** {@code listener}, told only of the window when models are warmed up on the events before it. */
        ReplayListener gated(ReplayListener listener) {
            boolean warm = source.window().map(WindowRun::warm).orElse(false);
            return warm && listener != IGNORE ? new WindowGate(listener, start) : listener;
        }
    }

    private static Opened open(TraceSource source) {
        TraceReader whole = source.open().get();
        if (source.window().isEmpty()) {
            return new Opened(source, whole, WindowStart.whole());
        }
        WindowRun run = source.window().get();
        try {
            WindowedReader windowed = new WindowedReader(whole, run.window(), run.warm());
            return new Opened(source, windowed, windowed.start());
        } catch (RuntimeException | Error e) {
            whole.close();
            throw e;
        }
    }

    /** {@code opened} decoded on a thread of its own; closed if that thread cannot be had. */
    private static TraceReader decodedAhead(TraceReader opened) {
        try {
            return new ReadAheadReader(opened);
        } catch (RuntimeException | Error e) {
            opened.close();
            throw e;
        }
    }

    /**
     * Replays {@code source} with its models split over {@code threads} threads, the caller's
     * among them ({@link ModelThreads}).
     */
    private TraceReport replayModelsApart(TraceSource source, int threads) {
        Opened opened = open(source);
        TraceAnalyzer analyzer = opened.analyzer(models, costs, interval);
        ModelThreads.replay(opened.reader(), opened.firstIndex(), ModelThreads.groups(models, threads), options,
                opened.gated(analyzer), both(IGNORE, IGNORE));
        progress.traceDone(source.path());
        return analyzer.report();
    }

    /** Whether one trace's models get threads of their own: N allows, there are models to split, and it is large. */
    private boolean modelsApart(List<TraceSource> sources, int jobs) {
        return sources.size() == 1 && jobs >= 2 && models.size() >= 2 && extraListener.isEmpty()
                && large(sources.get(0));
    }

    private static boolean large(TraceSource source) {
        Path p = Path.of(source.path());
        try {
            return !Files.isRegularFile(p) || Files.size(p) >= LARGE_TRACE_BYTES;
        } catch (IOException | java.nio.file.InvalidPathException e) {
            return true; // the replay will say what is wrong with it
        }
    }

    /**
     * Replays every trace with {@code jobs} threads; the reports in input order. The traces take
     * turns on the threads; only when there are two threads for every trace does each trace get
     * one of its own and its decoding another; one large trace has its models split over the
     * threads instead.
     */
    public ImmutableList<TraceReport> replayAll(List<TraceSource> sources, int jobs) {
        checkArgument(jobs >= 1, "jobs must be >= 1, got %s", jobs);
        if (modelsApart(sources, jobs)) {
            return ImmutableList.of(replayModelsApart(sources.get(0), jobs));
        }
        boolean readAhead = jobs >= 2 * sources.size();
        if (jobs == 1 || sources.size() == 1) {
            ImmutableList.Builder<TraceReport> b = ImmutableList.builder();
            sources.forEach(s -> b.add(replay(s, readAhead)));
            return b.build();
        }
        if (readAhead) {
            return replayEachReadAhead(sources);
        }
        return TraceTurns.replay(sources.size(), i -> start(sources.get(i), false), Math.min(jobs, sources.size()));
    }

    /** Every trace on a thread of its own, its decoding on another one. */
    private ImmutableList<TraceReport> replayEachReadAhead(List<TraceSource> sources) {
        ExecutorService pool = Executors.newFixedThreadPool(sources.size());
        try {
            List<Future<TraceReport>> futures = new ArrayList<>();
            for (TraceSource s : sources) {
                futures.add(pool.submit(() -> replay(s, true)));
            }
            ImmutableList.Builder<TraceReport> b = ImmutableList.builder();
            for (Future<TraceReport> f : futures) {
                b.add(await(f));
            }
            return b.build();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits for {@code f}; its failure is not wanted, another one is being reported. */
    static void awaitQuietly(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            // the caller reports the failure that came first
        }
    }

    static <T> T await(Future<T> f) {
        return TaskResults.join(f, "replaying");
    }

    /** The analyzer and one more listener, the analyzer first; progress counted at event ends. */
    private ReplayListener both(ReplayListener first, ReplayListener second) {
        return new ReplayListener() {
            private long sinceReport;

            @Override
            public void onEventStart(long index, TraceEvent event) {
                first.onEventStart(index, event);
                second.onEventStart(index, event);
            }

            @Override
            public void onObservation(String model, Observation observation) {
                first.onObservation(model, observation);
                second.onObservation(model, observation);
            }

            /** The two listeners' own sinks: no second dispatch by model name per observation. */
            @Override
            public ObservationSink sink(String model) {
                ObservationSink a = first.sink(model);
                if (second == IGNORE) {
                    return a;
                }
                ObservationSink b = second.sink(model);
                return observation -> {
                    a.observe(observation);
                    b.observe(observation);
                };
            }

            @Override
            public void onEventEnd(long index) {
                first.onEventEnd(index);
                second.onEventEnd(index);
                if (++sinceReport == PROGRESS_CHUNK) {
                    progress.eventsReplayed(sinceReport);
                    sinceReport = 0;
                }
            }

            @Override
            public void onRetryStart(long faultIndex, AccessRequest access) {
                first.onRetryStart(faultIndex, access);
                second.onRetryStart(faultIndex, access);
            }

            @Override
            public void onRetryEnd(long faultIndex) {
                first.onRetryEnd(faultIndex);
                second.onRetryEnd(faultIndex);
            }

            @Override
            public void onEnd(long events) {
                first.onEnd(events);
                second.onEnd(events);
                progress.eventsReplayed(sinceReport);
                sinceReport = 0;
            }
        };
    }
}
