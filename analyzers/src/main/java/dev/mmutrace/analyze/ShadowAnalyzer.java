package dev.mmutrace.analyze;

import dev.mmutrace.replay.observe.PgdirSwitch;
import dev.mmutrace.replay.observe.ShadowDiscard;
import dev.mmutrace.replay.observe.ShadowFill;
import dev.mmutrace.replay.observe.ShadowPage;
import dev.mmutrace.report.ShadowChurn;

/**
 * lguest's shadow churn (SPEC §8): how often the pgdir cache missed and evicted tables it needed
 * again, how many shadow entries were built and thrown away, and how many of those were rebuilt
 * identical.
 */
final class ShadowAnalyzer {
    private long switches;
    private long misses;
    private long evictions;
    private long evictedThenReused;
    private long pagesAllocated;
    private long pagesFreed;
    private long filled;
    private long discarded;
    private long discardedValid;
    private long refills;
    private long clearAll;
    private long stackRepins;
    private boolean seen;

    void pgdirSwitch(PgdirSwitch s) {
        switches++;
        if (!s.hit()) {
            misses++;
        }
        if (s.evictedBefore()) {
            evictedThenReused++;
        }
        seen = true;
    }

    void pgdirEviction() {
        evictions++;
        seen = true;
    }

    void shadowPage(ShadowPage p) {
        if (p.allocated()) {
            pagesAllocated++;
        } else {
            pagesFreed++;
        }
        seen = true;
    }

    void shadowFill(ShadowFill f) {
        filled++;
        if (f.refill()) {
            refills++;
        }
        seen = true;
    }

    void shadowDiscard(ShadowDiscard d) {
        discarded += d.entries();
        discardedValid += d.stillValid();
        seen = true;
    }

    void clearAll() {
        clearAll++;
        seen = true;
    }

    void stackRepin() {
        stackRepins++;
        seen = true;
    }

    boolean seen() {
        return seen;
    }

    long entriesFilled() {
        return filled;
    }

    ShadowChurn report(long killedAtEvent, String killReason) {
        return new ShadowChurn(switches, misses, evictions, evictedThenReused, pagesAllocated, pagesFreed, filled,
                discarded, discardedValid, refills, clearAll, stackRepins, killedAtEvent, killReason);
    }
}
