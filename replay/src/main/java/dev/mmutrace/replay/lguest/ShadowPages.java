package dev.mmutrace.replay.lguest;

import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Where shadow pages come from and go back to (a free list per level, so a busy replay stops
 * allocating), and which shadow pages between the top and the leaf shadow each guest table frame:
 * a set_pmd/set_pud in pae or 4level finds them here. The pages of one guest frame are chained
 * through the pages themselves ({@link ShadowTable#nextOfFrame}), so taking a page and giving it
 * back allocates nothing.
 */
final class ShadowPages {
    private final Paging paging;
    private final ArrayDeque<ShadowTable>[] free;
    /** Guest table pfn -> the first of its shadow pages (non-leaf, non-top), the others chained. */
    private final Long2ObjectOpenHashMap<ShadowTable> byGuestFrame = new Long2ObjectOpenHashMap<>();

    @SuppressWarnings("unchecked")
    ShadowPages(Paging paging) {
        this.paging = paging;
        this.free = new ArrayDeque[paging.top];
        for (int i = 0; i < paging.top; i++) {
            free[i] = new ArrayDeque<>();
        }
    }

    ShadowTable top(Pgdir dir) {
        ShadowTable t = new ShadowTable(paging.top, paging.entries(paging.top));
        t.owner = dir;
        t.base = 0;
        return t;
    }

    ShadowTable allocate(Pgdir dir, int level, long base, long guestPfn) {
        ShadowTable t = free[level - 1].poll();
        if (t == null) {
            t = new ShadowTable(level, paging.entries(level));
        }
        t.owner = dir;
        t.base = base;
        t.guestPfn = guestPfn;
        if (level > 1) {
            // at the end of the frame's chain, so shadowing() lists its pages in the order they came
            t.nextOfFrame = null;
            ShadowTable first = byGuestFrame.get(guestPfn);
            if (first == null) {
                t.prevOfFrame = null;
                byGuestFrame.put(guestPfn, t);
            } else {
                ShadowTable last = first;
                while (last.nextOfFrame != null) {
                    last = last.nextOfFrame;
                }
                last.nextOfFrame = t;
                t.prevOfFrame = last;
            }
        }
        return t;
    }

    /** Takes back an emptied page (every slot already cleared by the release). */
    void free(ShadowTable t) {
        if (t.level > 1) {
            ShadowTable before = t.prevOfFrame;
            ShadowTable after = t.nextOfFrame;
            if (before != null) {
                before.nextOfFrame = after;
            } else if (after != null) {
                byGuestFrame.put(t.guestPfn, after);
            } else {
                byGuestFrame.remove(t.guestPfn);
            }
            if (after != null) {
                after.prevOfFrame = before;
            }
            t.prevOfFrame = null;
            t.nextOfFrame = null;
        }
        t.owner = null;
        free[t.level - 1].push(t);
    }

    /** Copies into {@code out} the non-leaf, non-top shadow pages of guest frame {@code pfn}. */
    void shadowing(long pfn, List<ShadowTable> out) {
        out.clear();
        for (ShadowTable t = byGuestFrame.get(pfn); t != null; t = t.nextOfFrame) {
            out.add(t);
        }
    }
}
