package dev.mmutrace.trace.generate;

import it.unimi.dsi.fastutil.longs.Long2LongRBTreeMap;

/**
 * One address space as the generated guest kernel knows it: its top table (and, on x86-64 PV,
 * the user-only top table Xen needs), whether it is pinned, its lower tables by level and the
 * vaddr range they cover, and the user pages it maps with their entry values. Sorted maps, so a
 * teardown walks them in address order, as zap_page_range and free_pgtables do.
 */
final class GuestMm {
    final int id;
    final long topPfn;
    final long userTopPfn;
    boolean pinned;
    final Long2LongRBTreeMap tables = new Long2LongRBTreeMap();
    final Long2LongRBTreeMap pages = new Long2LongRBTreeMap();

    GuestMm(int id, long topPfn, long userTopPfn) {
        this.id = id;
        this.topPfn = topPfn;
        this.userTopPfn = userTopPfn;
        tables.defaultReturnValue(-1);
        pages.defaultReturnValue(-1);
    }

    long pgd() {
        return topPfn << 12;
    }

    boolean hasUserTop() {
        return userTopPfn >= 0;
    }

    /** The key of the table of {@code level} whose range starts at {@code base}. */
    static long tableKey(int level, long base) {
        return ((long) level << 56) | (base >>> 12);
    }

    static int levelOf(long key) {
        return (int) (key >>> 56);
    }

    static long baseOf(long key) {
        return (key & ((1L << 56) - 1)) << 12;
    }
}
