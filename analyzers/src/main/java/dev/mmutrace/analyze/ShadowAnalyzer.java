package dev.mmutrace.analyze;

import dev.mmutrace.replay.observe.Observation;
import dev.mmutrace.replay.observe.PgdirEviction;
import dev.mmutrace.replay.observe.PgdirSwitch;
import dev.mmutrace.replay.observe.ShadowClearAll;
import dev.mmutrace.replay.observe.ShadowDiscard;
import dev.mmutrace.replay.observe.ShadowFill;
import dev.mmutrace.replay.observe.ShadowPage;
import dev.mmutrace.replay.observe.StackRepin;
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

    void observe(Observation o) {
        if (o instanceof PgdirSwitch s) {
            switches++;
            if (!s.hit()) {
                misses++;
            }
            if (s.evictedBefore()) {
                evictedThenReused++;
            }
        } else if (o instanceof PgdirEviction) {
            evictions++;
        } else if (o instanceof ShadowPage p) {
            if (p.allocated()) {
                pagesAllocated++;
            } else {
                pagesFreed++;
            }
        } else if (o instanceof ShadowFill f) {
            filled++;
            if (f.refill()) {
                refills++;
            }
        } else if (o instanceof ShadowDiscard d) {
            discarded += d.entries();
            discardedValid += d.stillValid();
        } else if (o instanceof ShadowClearAll) {
            clearAll++;
        } else if (o instanceof StackRepin) {
            stackRepins++;
        } else {
            return;
        }
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
