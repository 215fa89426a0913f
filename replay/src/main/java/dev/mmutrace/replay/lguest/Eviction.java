package dev.mmutrace.replay.lguest;

import java.util.Locale;

/**
 * Which pgdirs slot new_pgdir takes on a miss. {@code RANDOM} is the seed's
 * {@code random32() % ARRAY_SIZE(pgdirs)}: any slot, even a used one while others were never
 * allocated. {@code LRU} is the what-if the seed's comment muses about: a never-allocated slot
 * first, else the slot least recently switched to.
 */
enum Eviction {
    RANDOM, LRU;

    static Eviction fromSetting(String value) {
        for (Eviction e : values()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(value)) {
                return e;
            }
        }
        throw new IllegalArgumentException("lguest.eviction must be random or lru, got '" + value + "'");
    }
}
