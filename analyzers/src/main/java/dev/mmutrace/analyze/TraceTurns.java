package dev.mmutrace.analyze;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Several traces replayed on fewer threads, taking turns: a thread takes the trace that has
 * waited longest, replays up to {@value #SLICE_EVENTS} of its events and puts it back. So the
 * traces advance together and end together, and no thread sits idle while another finishes a
 * whole trace alone, as happens when each thread takes a whole trace: there the last traces end
 * as far apart as the threads' speeds drift (on a shared 2-core machine, a tenth of the run).
 * At most {@link #inFlight} traces are open at once, to bound the memory and file handles.
 *
 * <p>The subtle thing: a trace's replay (reader, engine, models, analyzers) moves between
 * threads, but one thread holds it at a time and every hand-over passes this object's lock, so
 * each thread sees the replay as the last one left it; its models see the same events in the same
 * order as on one thread, and its report is the same, byte for byte.
 */
final class TraceTurns<R> {
    /** About 10 ms of a replay through all three models: the hand-overs cost nothing measurable. */
    static final long SLICE_EVENTS = 1 << 15;

    /** One trace's replay under way, ending in a report {@code R}. */
    interface Turn<R> extends AutoCloseable {
        /** Replays up to {@code max} more events; whether any are left. */
        boolean advance(long max);

        /** The report, after the last event. */
        R finish();

        @Override
        void close();
    }

    private final int traces;
    private final IntFunction<Turn<R>> start;
    private final int inFlight;
    /** Replays open and not held by a thread, the one that has waited longest first. */
    private final ArrayDeque<Held<R>> waiting = new ArrayDeque<>();
    /** Per trace, its report or its failure; null while neither is known. */
    private final Object[] outcomes;
    private int nextToStart;
    private int open;
    /** The first trace in input order known to have failed; no later one is worth going on with. */
    private int firstFailed = Integer.MAX_VALUE;

    /**
     * @param start opens trace {@code i} (0-based, input order) for replay
     * @param inFlight how many traces may be open at once, at least the number of threads
     */
    private TraceTurns(int traces, IntFunction<Turn<R>> start, int inFlight) {
        this.traces = traces;
        this.start = start;
        this.inFlight = inFlight;
        this.outcomes = new Object[traces];
    }

    /**
     * Replays {@code traces} traces on {@code threads} threads (the caller's among them), at most
     * twice as many open as there are threads; the reports in input order. The first trace in
     * input order that fails fails the whole, with its own exception; traces after it are given up.
     */
    static <R> ImmutableList<R> replay(int traces, IntFunction<Turn<R>> start, int threads) {
        checkArgument(threads >= 1, "threads must be >= 1, got %s", threads);
        TraceTurns<R> turns = new TraceTurns<>(traces, start, 2 * threads);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads - 1));
        try {
            List<Future<?>> helpers = new ArrayList<>();
            for (int t = 1; t < threads; t++) {
                helpers.add(pool.submit(turns::work));
            }
            turns.work();
            for (Future<?> f : helpers) {
                BatchReplay.await(f);
            }
        } finally {
            pool.shutdownNow();
        }
        return turns.reports();
    }

    /** A replay held by one thread; {@code turn} is empty until that thread has opened the trace. */
    private static final class Held<R> {
        final int trace;
        Turn<R> turn;

        Held(int trace) {
            this.trace = trace;
        }
    }

    /** One thread's share: turns until no trace is left to start or waiting. */
    private void work() {
        for (Held<R> h = take(); h != null; h = take()) {
            R report;
            try {
                if (h.turn == null) {
                    h.turn = start.apply(h.trace);
                }
                if (h.turn.advance(SLICE_EVENTS)) {
                    putBack(h);
                    continue;
                }
                report = h.turn.finish();
            } catch (RuntimeException | Error e) {
                closeAfter(h, e);
                ended(h.trace, e);
                continue;
            }
            try {
                h.turn.close();
                ended(h.trace, report);
            } catch (RuntimeException | Error e) {
                ended(h.trace, e);
            }
        }
    }

    /**
     * The next replay for this thread: the one waiting longest, else a trace not yet started if
     * fewer than {@link #inFlight} are open; none when neither is left (the replays still open are
     * then all held by other threads, which carry them to the end).
     */
    private synchronized Held<R> take() {
        Held<R> h;
        while ((h = waiting.poll()) != null) {
            if (h.trace < firstFailed) {
                return h;
            }
            giveUp(h);
        }
        if (nextToStart < Math.min(traces, firstFailed) && open < inFlight) {
            open++;
            return new Held<>(nextToStart++);
        }
        return null;
    }

    private synchronized void putBack(Held<R> h) {
        if (h.trace < firstFailed) {
            waiting.add(h);
        } else {
            giveUp(h);
        }
    }

    private synchronized void ended(int trace, Object outcome) {
        outcomes[trace] = outcome;
        open--;
        if (outcome instanceof Throwable) {
            firstFailed = Math.min(firstFailed, trace);
        }
    }

    /** A replay after the first failure: its outcome cannot change the batch's. */
    private void giveUp(Held<R> h) {
        open--;
        h.turn.close();
    }

    private static void closeAfter(Held<?> h, Throwable failure) {
        if (h.turn == null) {
            return;
        }
        try {
            h.turn.close();
        } catch (RuntimeException | Error e) {
            failure.addSuppressed(e);
        }
    }

    @SuppressWarnings("unchecked") // outcomes holds an R wherever it holds no Throwable
    private synchronized ImmutableList<R> reports() {
        ImmutableList.Builder<R> b = ImmutableList.builder();
        for (Object o : outcomes) {
            if (o instanceof RuntimeException r) {
                throw r;
            }
            if (o instanceof Error e) {
                throw e;
            }
            b.add((R) o);
        }
        return b.build();
    }
}
