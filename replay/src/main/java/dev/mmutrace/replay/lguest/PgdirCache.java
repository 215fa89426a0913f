package dev.mmutrace.replay.lguest;

import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.util.SplittableRandom;

/**
 * The host's pgdirs array: find_pgdir by guest cr3, and the slot new_pgdir takes on a miss. It
 * also remembers which cr3s it evicted, so a later miss for one is known to pay the eviction twice.
 */
final class PgdirCache {
    private final Pgdir[] slots;
    private final Eviction eviction;
    private final SplittableRandom random;
    /** Guest cr3s evicted and not loaded again. */
    private final LongOpenHashSet evicted = new LongOpenHashSet();
    private long clock;

    PgdirCache(int size, Eviction eviction, long seed) {
        this.slots = new Pgdir[size];
        for (int i = 0; i < size; i++) {
            slots[i] = new Pgdir(i);
        }
        this.eviction = eviction;
        this.random = new SplittableRandom(seed);
    }

    Pgdir slot(int i) {
        return slots[i];
    }

    int size() {
        return slots.length;
    }

    /** find_pgdir: the allocated slot shadowing {@code cr3}, or null. */
    Pgdir find(long cr3) {
        for (Pgdir d : slots) {
            if (d.allocated() && d.gpgdir == cr3) {
                return d;
            }
        }
        return null;
    }

    /** The slot new_pgdir takes: {@code random32() % size} as the seed, or the LRU what-if. */
    Pgdir victim() {
        if (eviction == Eviction.RANDOM) {
            return slots[random.nextInt(slots.length)];
        }
        Pgdir oldest = null;
        for (Pgdir d : slots) {
            if (!d.allocated()) {
                return d;
            }
            if (oldest == null || d.lastSwitch < oldest.lastSwitch) {
                oldest = d;
            }
        }
        return oldest;
    }

    void evicted(long cr3) {
        evicted.add(cr3);
    }

    /** Whether {@code cr3} was evicted before; it is loaded again now. */
    boolean reloading(long cr3) {
        return evicted.remove(cr3);
    }

    void switchedTo(Pgdir d) {
        d.lastSwitch = ++clock;
    }
}
