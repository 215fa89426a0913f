package dev.mmutrace.replay.lguest;

import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Where shadow pages come from and go back to (a free list per level, so a busy replay stops
 * allocating), and which shadow pages between the top and the leaf shadow each guest table frame:
 * a set_pmd/set_pud in pae or 4level finds them here.
 */
final class ShadowPages {
    private final Paging paging;
    private final ArrayDeque<ShadowTable>[] free;
    private final Long2ObjectOpenHashMap<List<ShadowTable>> byGuestFrame = new Long2ObjectOpenHashMap<>();

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
            byGuestFrame.computeIfAbsent(guestPfn, k -> new ArrayList<>(4)).add(t);
        }
        return t;
    }

    /** Takes back an emptied page (every slot already cleared by the release). */
    void free(ShadowTable t) {
        if (t.level > 1) {
            List<ShadowTable> list = byGuestFrame.get(t.guestPfn);
            list.remove(t);
            if (list.isEmpty()) {
                byGuestFrame.remove(t.guestPfn);
            }
        }
        t.owner = null;
        free[t.level - 1].push(t);
    }

    /** Copies into {@code out} the non-leaf, non-top shadow pages of guest frame {@code pfn}. */
    void shadowing(long pfn, List<ShadowTable> out) {
        out.clear();
        List<ShadowTable> list = byGuestFrame.get(pfn);
        if (list != null) {
            out.addAll(list);
        }
    }
}
