package dev.mmutrace.analyze;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import dev.mmutrace.report.Series;
import dev.mmutrace.report.SeriesBucket;
import java.util.Arrays;

/**
 * One model's counts per bucket of events. With a fixed interval a bucket is that many events;
 * with {@link #AUTO} the interval starts at 1 and doubles (merging neighbouring buckets) whenever
 * more than {@link #AUTO_BUCKETS} would be needed, so a trace of any length gives a chart-sized
 * series without knowing its length in advance. Doubling depends only on event indices, so the
 * result is deterministic.
 */
final class Timeline {
    static final long AUTO = 0;
    static final int AUTO_BUCKETS = 128;

    static final int FLUSHES = 0;
    static final int WASTED_FLUSHES = 1;
    static final int MISSED_FLUSHES = 2;
    static final int EXITS = 3;
    static final int HYPERCALLS = 4;
    static final int FAULTS = 5;
    static final int VALIDATION_FAILURES = 6;
    static final int SHADOW_FILLS = 7;
    static final int SHADOW_DISCARDED = 8;
    static final int PGDIR_MISSES = 9;
    private static final int COLUMNS = 10;

    private final boolean auto;
    private long interval;
    /** counts[bucket * COLUMNS + column] */
    private long[] counts = new long[16 * COLUMNS];
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
        checkArgument(interval >= 0, "interval must be >= 1 event (or auto), got %s", interval);
        this.auto = interval == AUTO;
        this.interval = auto ? 1 : interval;
    }

    void add(int column, long event, long n) {
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
        long bucket = event / interval;
        while (auto && bucket >= AUTO_BUCKETS) {
            coarsen();
            bucket = event / interval;
        }
        int at = Math.toIntExact(bucket * COLUMNS);
        if (at + COLUMNS > counts.length) {
            counts = Arrays.copyOf(counts, Math.max(counts.length * 2, at + COLUMNS));
        }
        counts[at + column] += n;
        firstEvent = bucket * interval;
        endEvent = firstEvent + interval;
        bucketAt = at;
    }

    long interval() {
        return interval;
    }

    /** Doubles the interval: bucket i of the new series is buckets 2i and 2i+1 of the old one. */
    private void coarsen() {
        long[] merged = new long[counts.length];
        int buckets = counts.length / COLUMNS;
        for (int b = 0; b < buckets; b++) {
            for (int c = 0; c < COLUMNS; c++) {
                merged[(b / 2) * COLUMNS + c] += counts[b * COLUMNS + c];
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
        checkArgument(withInterval % interval == 0, "interval %s is not a multiple of %s", withInterval, interval);
        long factor = withInterval / interval;
        int buckets = Math.toIntExact((events + withInterval - 1) / withInterval);
        long[] rows = new long[buckets * COLUMNS];
        int held = counts.length / COLUMNS;
        for (int old = 0; old < held; old++) {
            if (buckets == 0) {
                break;
            }
            // Observations made at the end of the trace (a last retry) belong to the last bucket.
            long i = Math.min(old / factor, buckets - 1);
            for (int c = 0; c < COLUMNS; c++) {
                rows[(int) i * COLUMNS + c] += counts[old * COLUMNS + c];
            }
        }
        ImmutableList.Builder<SeriesBucket> b = ImmutableList.builder();
        for (int i = 0; i < buckets; i++) {
            int r = i * COLUMNS;
            b.add(new SeriesBucket(i * withInterval, rows[r + FLUSHES], rows[r + WASTED_FLUSHES],
                    rows[r + MISSED_FLUSHES], rows[r + EXITS], rows[r + HYPERCALLS], rows[r + FAULTS],
                    rows[r + VALIDATION_FAILURES], rows[r + SHADOW_FILLS], rows[r + SHADOW_DISCARDED],
                    rows[r + PGDIR_MISSES]));
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
