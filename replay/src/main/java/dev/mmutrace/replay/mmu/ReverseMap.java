package dev.mmutrace.replay.mmu;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import dev.mmutrace.trace.PagingMode;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongArrayList;

/**
 * From an entry slot to the address spaces and vaddrs it translates, so a {@code set_pte} that
 * names no vaddr still says what it changed (SPEC §4).
 *
 * <p>It keeps, per page-table frame, its level and the parent slots that link it (a PTE page
 * under two PMDs has two), and the top-level frames named as roots (write_cr3, pin, a set_pte_at's
 * mm, the header's init_mm pgd). Linking or unlinking a table is one map update, whatever the size
 * of the subtree below it; the vaddrs are worked out only when asked, by climbing the parent links
 * to a root (at most three steps, one per level, fanning out only where a table is shared).
 *
 * <p>PAE's top table is a 32-byte PDPT that cr3 points at, possibly several to a frame: a slot in
 * a top-level PAE frame belongs to the root at {@code slot & ~31}. Vaddrs come back canonical (4level
 * sign-extends bit 47).
 */
public final class ReverseMap {

    /** One translation an entry slot takes part in. */
    public record Mapping(long root, long vaddr, long size) {
    }

    /** Receives the mappings of a slot without allocation. */
    @FunctionalInterface
    public interface Visitor {
        void mapping(long root, long vaddr, long size);
    }

    private final EntryFormat format;
    private final int top;
    private final boolean pae;
    /** pfn -> level of the table held there (absent: not known to be a table). */
    private final Long2IntOpenHashMap level = new Long2IntOpenHashMap();
    /** child table pfn -> the first parent slot linking it. */
    private final Long2LongOpenHashMap parent = new Long2LongOpenHashMap();
    /** child table pfn -> further parent slots (rare: shared tables). */
    private final Long2ObjectOpenHashMap<LongArrayList> moreParents = new Long2ObjectOpenHashMap<>();

    public ReverseMap(EntryFormat format) {
        this.format = requireNonNull(format, "format");
        this.top = format.top();
        this.pae = format.mode() == PagingMode.PAE;
        level.defaultReturnValue(0);
        parent.defaultReturnValue(-1);
    }

    /** Names {@code rootGpa} (a cr3 value) as the top table of an address space. */
    public void nameRoot(long rootGpa) {
        setLevel(rootGpa >>> 12, top);
    }

    /** Records that the frame at {@code pfn} is a table of {@code tableLevel}, unless known already. */
    public void setLevel(long pfn, int tableLevel) {
        if (level.get(pfn) == 0) {
            level.put(pfn, tableLevel);
        }
    }

    /** The level of the table at {@code pfn}, or 0 when unknown. */
    public int levelOf(long pfn) {
        return level.get(pfn);
    }

    /**
     * The entry at {@code slot}, in a table of {@code tableLevel} (2 for set_pmd, 3 set_pud, 4
     * set_pgd), goes from {@code oldValue} to {@code newValue}: unlinks the table the old value
     * pointed at and links the one the new value points at. Leaves and not-present entries link
     * nothing.
     */
    public void onTableEntry(long slot, int tableLevel, long oldValue, long newValue) {
        setLevel(slot >>> 12, tableLevel);
        if (tableLevel < 2) {
            return;
        }
        long o = format.width(oldValue);
        long n = format.width(newValue);
        if (EntryFormat.present(o) && !format.isLeaf(tableLevel, o)) {
            unlink(format.tableAddress(o) >>> 12, slot);
        }
        if (EntryFormat.present(n) && !format.isLeaf(tableLevel, n)) {
            long child = format.tableAddress(n) >>> 12;
            setLevel(child, tableLevel - 1);
            link(child, slot);
        }
    }

    /** The table at {@code pfn} stops being one (release_pt): its level and its own links go. */
    public void forgetTable(long pfn) {
        level.remove(pfn);
        parent.remove(pfn);
        moreParents.remove(pfn);
    }

    private void link(long child, long slot) {
        long first = parent.get(child);
        if (first == -1) {
            parent.put(child, slot);
            return;
        }
        if (first == slot) {
            return;
        }
        LongArrayList more = moreParents.computeIfAbsent(child, k -> new LongArrayList(2));
        if (!more.contains(slot)) {
            more.add(slot);
        }
    }

    private void unlink(long child, long slot) {
        LongArrayList more = moreParents.get(child);
        if (parent.get(child) == slot) {
            if (more == null || more.isEmpty()) {
                parent.remove(child);
            } else {
                parent.put(child, more.removeLong(more.size() - 1));
            }
        } else if (more != null) {
            more.rem(slot);
        }
        if (more != null && more.isEmpty()) {
            moreParents.remove(child);
        }
    }

    /**
     * Visits every (root, vaddr, size) the entry at {@code slot} translates: one per path from a
     * named or linked top table down to it. Nothing when the slot's table is not linked to a top.
     *
     * @return how many mappings were visited
     */
    public int forEach(long slot, Visitor visitor) {
        int l = level.get(slot >>> 12);
        return l == 0 ? 0 : visit(slot, 0, format.shift(l), visitor);
    }

    /** The mappings of {@code slot}, for callers that prefer a list (tests, reports). */
    public ImmutableList<Mapping> mappings(long slot) {
        ImmutableList.Builder<Mapping> b = ImmutableList.builder();
        forEach(slot, (root, vaddr, size) -> b.add(new Mapping(root, vaddr, size)));
        return b.build();
    }

    /**
     * Climbs from {@code slot}; {@code below} is the vaddr offset the lower levels contributed and
     * {@code shift} the size of what the first slot maps. Each step must go up exactly one level,
     * which bounds the climb and ignores links that contradict a table's known level.
     */
    private int visit(long slot, long below, int shift, Visitor visitor) {
        long pfn = slot >>> 12;
        int l = level.get(pfn);
        int idx;
        long root;
        if (pae && l == 3) {
            idx = (int) ((slot >>> 3) & 3);
            root = slot & ~0x1fL;
        } else {
            idx = (int) ((slot & 0xfff) >>> format.entryShift());
            root = pfn << 12;
        }
        long vaddr = below + ((long) idx << format.shift(l));
        if (l == top) {
            visitor.mapping(root, format.canonical(vaddr), 1L << shift);
            return 1;
        }
        int n = 0;
        long first = parent.get(pfn);
        if (first != -1) {
            n += climb(first, l, vaddr, shift, visitor);
            LongArrayList more = moreParents.get(pfn);
            if (more != null) {
                for (int i = 0; i < more.size(); i++) {
                    n += climb(more.getLong(i), l, vaddr, shift, visitor);
                }
            }
        }
        return n;
    }

    private int climb(long parentSlot, int childLevel, long vaddr, int shift, Visitor visitor) {
        if (level.get(parentSlot >>> 12) != childLevel + 1) {
            return 0;
        }
        return visit(parentSlot, vaddr, shift, visitor);
    }
}
