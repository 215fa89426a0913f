package dev.mmutrace.bench;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;

/**
 * When a timing child's warm-up ends, judged from what it reads of its JVM ({@link JvmReading}),
 * never from the runs' times: after at least {@code least} warm-ups, once {@code until} holds;
 * after {@code most} in any case.
 *
 * <p>{@link Until#HEAP_SETTLED}, the decode's. The subtle thing: growing is not what slows a run; touching the new pages for the first time
 * is, and that comes later. The Parallel collector grows eden at a collection (the decode's child:
 * 95, 190, 380, 760 MB, in 2 of 3 children 1,519 MB, at about every other collection), but the
 * allocation reaches the added pages only after it has used the old ones again, several decodes
 * on; each decode that does takes ~22,600 minor page faults (88 MB) and 30-60 ms of system time,
 * 86-93 ms against 50-52 ms (docs/performance.md "Why in-JVM figures varied"). So a committed size
 * that held over the last warm-ups says nothing; a collection that left it no larger does: eden
 * was full, so all of it had been touched. One such collection is not enough, since growth comes
 * at every other one; after two in a row the collector had started to shrink eden in every child
 * measured, which touches nothing.
 */
record WarmupRule(int least, int most, Until until) {
    /**
     * Compilations that took less than this in one warm-up, summed over the compiler threads, are
     * nothing of note: the models' children, their hot methods compiled, read 0-7 ms a run (the
     * management beans' own code and the like) after 80-450 ms in their first runs.
     */
    static final long QUIET_COMPILATION_MILLIS = 10;

    /** What ends a warm-up once the least is done. */
    enum Until {
        /** Two young collections have passed since the young generation last grew (the decode). */
        HEAP_SETTLED,
        /**
         * The last warm-up's compilations took under {@link #QUIET_COMPILATION_MILLIS} and the
         * young generation was no larger after it than before (the models): C2 still compiles
         * the replay's methods during a model's first 2-4 runs, and a run it compiles during is
         * 10-40% slower (docs/performance.md "Why in-JVM figures varied").
         */
        JIT_QUIET
    }

    WarmupRule {
        checkArgument(least >= 0 && most >= least, "warm-ups need 0 <= least <= most, got %s and %s", least, most);
    }

    static WarmupRule heapSettled(int least, int most) {
        return new WarmupRule(least, most, Until.HEAP_SETTLED);
    }

    static WarmupRule jitQuiet(int least, int most) {
        return new WarmupRule(least, most, Until.JIT_QUIET);
    }

    /** Exactly {@code warmups} warm-ups, whatever the JVM does: the figures that do not read it. */
    static WarmupRule fixed(int warmups) {
        return new WarmupRule(warmups, warmups, Until.HEAP_SETTLED);
    }

    /**
     * Whether the warm-up may end after {@code readings.size() - 1} warm-ups, {@code readings}
     * taken before the first and after each.
     */
    boolean done(List<JvmReading> readings) {
        checkArgument(!readings.isEmpty(), "a warm-up starts with a reading of the JVM");
        int warmups = readings.size() - 1;
        if (warmups >= most) {
            return true;
        }
        if (warmups < least) {
            return false;
        }
        return switch (until) {
            case HEAP_SETTLED -> collectionsSinceGrowth(readings) >= 2;
            case JIT_QUIET -> warmups > 0 && lastWarmupQuiet(readings);
        };
    }

    /** Whether the last warm-up compiled nothing of note and left the young generation no larger. */
    static boolean lastWarmupQuiet(List<JvmReading> readings) {
        checkArgument(readings.size() >= 2, "a warm-up is read before and after");
        JvmReading before = readings.get(readings.size() - 2);
        JvmReading after = readings.get(readings.size() - 1);
        return after.compilationMillis() - before.compilationMillis() < QUIET_COMPILATION_MILLIS
                && after.young().committedBytes() <= before.young().committedBytes();
    }

    /**
     * Young collections since the warm-up after which the young generation was last larger than
     * before it (since the first reading, if it never grew). A warm-up in which it grew counts
     * none of its collections, whether they came before or after the growth.
     */
    static long collectionsSinceGrowth(List<JvmReading> readings) {
        long since = 0;
        for (int i = 1; i < readings.size(); i++) {
            YoungGeneration before = readings.get(i - 1).young();
            YoungGeneration after = readings.get(i).young();
            since = after.committedBytes() > before.committedBytes() ? 0
                    : since + after.collections() - before.collections();
        }
        return since;
    }
}
