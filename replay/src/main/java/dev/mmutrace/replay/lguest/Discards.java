package dev.mmutrace.replay.lguest;

import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;

/**
 * The last shadow entry the host threw away for each guest cr3 and page, so that a fill putting
 * back the very same entry is known as a refill: work done, thrown away, and done again.
 */
final class Discards {
    private final Long2ObjectOpenHashMap<Long2LongOpenHashMap> byCr3 = new Long2ObjectOpenHashMap<>();

    void discarded(long cr3, long vpn, long spte) {
        Long2LongOpenHashMap pages = byCr3.get(cr3);
        if (pages == null) {
            pages = new Long2LongOpenHashMap();
            byCr3.put(cr3, pages);
        }
        pages.put(vpn, spte);
    }

    /**
     * Whether filling {@code spte} puts back the entry last discarded there; the memory of it goes
     * either way. A present shadow entry is never 0, the maps' answer for "none".
     */
    boolean refills(long cr3, long vpn, long spte) {
        Long2LongOpenHashMap pages = byCr3.get(cr3);
        return pages != null && pages.remove(vpn) == spte;
    }
}
