package dev.mmutrace.analyze;

import static com.google.common.base.Preconditions.checkArgument;
import static dev.mmutrace.analyze.Timeline.Column.EXITS;
import static dev.mmutrace.analyze.Timeline.Column.FAULTS;
import static dev.mmutrace.analyze.Timeline.Column.FLUSHES;
import static dev.mmutrace.analyze.Timeline.Column.HYPERCALLS;
import static dev.mmutrace.analyze.Timeline.Column.MISSED_FLUSHES;
import static dev.mmutrace.analyze.Timeline.Column.PGDIR_MISSES;
import static dev.mmutrace.analyze.Timeline.Column.SHADOW_DISCARDED;
import static dev.mmutrace.analyze.Timeline.Column.SHADOW_FILLS;
import static dev.mmutrace.analyze.Timeline.Column.UNKNOWN_STATE;
import static dev.mmutrace.analyze.Timeline.Column.VALIDATION_FAILURES;
import static dev.mmutrace.analyze.Timeline.Column.WASTED_FLUSHES;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.mmutrace.report.Series;
import dev.mmutrace.report.SeriesBucket;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * One model's counts per bucket of events. With a fixed interval a bucket is that many events;
 * with {@link #AUTO} the interval starts at 1 and doubles (merging neighbouring buckets) whenever
 * more than {@link #AUTO_BUCKETS} would be needed, so a trace of any length gives a chart-sized
 * series without knowing its length in advance. Doubling depends only on event indices, so the
 * result is deterministic. The fixed columns come first; a model's own counters ({@code Work})
 * follow from {@link #COUNTERS} on.
 */
final class Timeline {
    static final long AUTO = 0;
    static final int AUTO_BUCKETS = 128;

    /** The fixed columns, in the order of a series bucket's fields. */
    enum Column {
        FLUSHES, WASTED_FLUSHES, MISSED_FLUSHES, EXITS, HYPERCALLS, FAULTS, VALIDATION_FAILURES, SHADOW_FILLS,
        SHADOW_DISCARDED, PGDIR_MISSES, UNKNOWN_STATE
    }

    /** The column of a model's first own counter: after the fixed ones. */
    static final int COUNTERS = Column.values().length;

    private final boolean auto;
    private final int columns;
    /**
     * The number of the first event the series covers: 0, or a window's first event (known only
     * once the replay reached it, before any observation of the window).
     */
    private final LongSupplier origin;
    private long interval;
    /** counts[bucket * columns + column] */
    private long[] counts;
    /**
     * The events [firstEvent, endEvent) of the bucket last added to, whose counts start at
     * {@code bucketAt}: observations come in event order, several per event, so most adds land in
     * the same bucket as the one before and need neither the division nor the bounds checks.
     * Empty (end at or below first) until the first add, and again after the buckets moved.
     */
    private long firstEvent;
    private long endEvent;
    private int bucketAt;

    Timeline(long interval) {
        this(interval, 0);
    }

    /** With {@code counters} columns of a model's own counters after the fixed ones. */
    Timeline(long interval, int counters) {
        this(interval, counters, () -> 0);
    }

    /** A series of the events from {@code origin} on, which it reads at the first observation. */
    Timeline(long interval, int counters, LongSupplier origin) {
        this.origin = origin;
        checkArgument(interval >= 0, "interval must be >= 1 event (or auto), got %s", interval);
        this.auto = interval == AUTO;
        this.interval = auto ? 1 : interval;
        this.columns = COUNTERS + counters;
        this.counts = new long[16 * columns];
    }

    void add(Column column, long event, long n) {
        add(column.ordinal(), event, n);
    }

    /** Adds to the model's own counter {@code counter} (its index among the declared ones). */
    void addToCounter(int counter, long event, long n) {
        add(COUNTERS + counter, event, n);
    }

    private void add(int column, long event, long n) {
        if (event >= firstEvent && event < endEvent) {
            counts[bucketAt + column] += n;
        } else {
            addElsewhere(column, event, n);
        }
    }

    /** An add outside the bucket of the previous one: kept out of add() so that stays small to inline. */
    private void addElsewhere(int column, long event, long n) {
        if (n == 0) {
            // an empty add must not coarsen or grow anything: the series would not be the same
            return;
        }
        long first = origin.getAsLong();
        long bucket = (event - first) / interval;
        while (auto && bucket >= AUTO_BUCKETS) {
            coarsen();
            bucket = (event - first) / interval;
        }
        int at = Math.toIntExact(bucket * columns);
        if (at + columns > counts.length) {
            counts = Arrays.copyOf(counts, Math.max(counts.length * 2, at + columns));
        }
        counts[at + column] += n;
        firstEvent = first + bucket * interval;
        endEvent = firstEvent + interval;
        bucketAt = at;
    }

    long interval() {
        return interval;
    }

    /** Doubles the interval: bucket i of the new series is buckets 2i and 2i+1 of the old one. */
    private void coarsen() {
        long[] merged = new long[counts.length];
        int buckets = counts.length / columns;
        for (int b = 0; b < buckets; b++) {
            for (int c = 0; c < columns; c++) {
                merged[(b / 2) * columns + c] += counts[b * columns + c];
            }
        }
        counts = merged;
        interval *= 2;
        endEvent = firstEvent;
    }

    /**
     * The series over {@code events} events with the given interval (this timeline's own, or a
     * multiple of it chosen so every model of a trace shares one interval).
     */
    Series series(long events, long withInterval) {
        return series(events, withInterval, List.of());
    }

    /** The series, each bucket with the counts of the model's own {@code counters} when it has any. */
    Series series(long events, long withInterval, List<String> counters) {
        checkArgument(COUNTERS + counters.size() == columns, "%s counters for %s columns", counters.size(), columns);
        checkArgument(withInterval % interval == 0, "interval %s is not a multiple of %s", withInterval, interval);
        long factor = withInterval / interval;
        int buckets = Math.toIntExact((events + withInterval - 1) / withInterval);
        long[] rows = new long[buckets * columns];
        int held = counts.length / columns;
        for (int old = 0; old < held; old++) {
            if (buckets == 0) {
                break;
            }
            // Observations made at the end of the trace (a last retry) belong to the last bucket.
            long i = Math.min(old / factor, buckets - 1);
            for (int c = 0; c < columns; c++) {
                rows[(int) i * columns + c] += counts[old * columns + c];
            }
        }
        ImmutableList.Builder<SeriesBucket> b = ImmutableList.builder();
        long first = buckets == 0 ? 0 : origin.getAsLong();
        for (int i = 0; i < buckets; i++) {
            int r = i * columns;
            Optional<ImmutableSortedMap<String, Long>> work = Optional.empty();
            if (!counters.isEmpty()) {
                ImmutableSortedMap.Builder<String, Long> w = ImmutableSortedMap.naturalOrder();
                for (int k = 0; k < counters.size(); k++) {
                    w.put(counters.get(k), rows[r + COUNTERS + k]);
                }
                work = Optional.of(w.build());
            }
            b.add(new SeriesBucket(first + i * withInterval, rows[r + FLUSHES.ordinal()],
                    rows[r + WASTED_FLUSHES.ordinal()], rows[r + MISSED_FLUSHES.ordinal()], rows[r + EXITS.ordinal()],
                    rows[r + HYPERCALLS.ordinal()], rows[r + FAULTS.ordinal()], rows[r + VALIDATION_FAILURES.ordinal()],
                    rows[r + SHADOW_FILLS.ordinal()], rows[r + SHADOW_DISCARDED.ordinal()],
                    rows[r + PGDIR_MISSES.ordinal()], rows[r + UNKNOWN_STATE.ordinal()], work));
        }
        return new Series(withInterval, b.build());
    }

    /**
     * The interval every model of a trace of {@code events} events is shown with: the coarsest
     * the models reached, coarsened further in auto mode until the whole trace fits
     * {@link #AUTO_BUCKETS} buckets.
     */
    static long commonInterval(long events, long requested, Iterable<Timeline> timelines) {
        if (requested != AUTO) {
            return requested;
        }
        long interval = 1;
        for (Timeline t : timelines) {
            interval = Math.max(interval, t.interval);
        }
        while ((events + interval - 1) / interval > AUTO_BUCKETS) {
            interval *= 2;
        }
        return interval;
    }
}
