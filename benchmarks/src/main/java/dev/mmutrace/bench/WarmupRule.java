package dev.mmutrace.bench;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;

/**
 * When a timing child's warm-up ends, judged from its young generation alone, never from the
 * runs' times: after at least {@code least} warm-ups, once two young collections have passed
 * since the young generation last grew; after {@code most} in any case.
 *
 * <p>The subtle thing: growing is not what slows a run; touching the new pages for the first time
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
record WarmupRule(int least, int most) {
    WarmupRule {
        checkArgument(least >= 0 && most >= least, "warm-ups need 0 <= least <= most, got %s and %s", least, most);
    }

    /** Exactly {@code warmups} warm-ups, whatever the heap does: the figures that do not read it. */
    static WarmupRule fixed(int warmups) {
        return new WarmupRule(warmups, warmups);
    }

    /**
     * Whether the warm-up may end after {@code readings.size() - 1} warm-ups, {@code readings}
     * taken before the first and after each.
     */
    boolean done(List<YoungGeneration> readings) {
        checkArgument(!readings.isEmpty(), "a warm-up starts with a reading of the young generation");
        int warmups = readings.size() - 1;
        return warmups >= most || warmups >= least && collectionsSinceGrowth(readings) >= 2;
    }

    /**
     * Young collections since the warm-up after which the young generation was last larger than
     * before it (since the first reading, if it never grew). A warm-up in which it grew counts
     * none of its collections, whether they came before or after the growth.
     */
    static long collectionsSinceGrowth(List<YoungGeneration> readings) {
        long since = 0;
        for (int i = 1; i < readings.size(); i++) {
            YoungGeneration before = readings.get(i - 1);
            YoungGeneration after = readings.get(i);
            since = after.committedBytes() > before.committedBytes() ? 0
                    : since + after.collections() - before.collections();
        }
        return since;
    }
}
