package dev.mmutrace.replay.mmu;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import dev.mmutrace.trace.Access;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.ints.IntArrays;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import java.util.Arrays;

/**
 * The TLBs of every vCPU of one model, with the staleness bookkeeping of SPEC §4. Each model that
 * needs flush classification owns one (the native model for the guest's flushes; Xen and lguest
 * for the flushes they generate) and drives it with the same rules:
 *
 * <ul>
 *   <li>{@link #translate} is an access: a usable entry hits; otherwise (no entry, or one whose
 *       rights do not allow it, e.g. a write through an entry filled by a read before D was set)
 *       the entry is dropped and the page is walked, and a successful walk fills the TLB.
 *   <li>{@link #onEntryChange} is told of every page-table store before it lands: a downgrade
 *       (present to not present, another frame, RW or US cleared, NX set) marks every cached
 *       translation whose walk read that slot stale, on every vCPU.
 *   <li>The flush methods remove entries and return a {@link FlushOutcome}: needed when a stale
 *       translation went, wasted otherwise, over-broad when a full flush's stale set fitted one
 *       INVLPG.
 *   <li>A stale translation used by an access ({@link Translation#STALE_HIT}) or still alive when
 *       a table it was read through is freed ({@link #onTableFreed}) or the frame it maps becomes a
 *       page table ({@link #onFrameRetyped}) is a missed flush, reported once per translation.
 * </ul>
 *
 * <p>The subtle thing: an entry remembers every slot its walk read, so "may hold it" is exact for
 * this TLB, including a PTE page linked under two PMDs (two entries, same leaf slot) and large
 * pages (one entry under its large base). Entries live in parallel primitive arrays indexed by an
 * int id; a change to a slot no entry read costs two array reads (counts of readers per bucket
 * of slots) and allocates nothing.
 *
 * <p>The TLB is unbounded (no capacity evictions) and untagged (no PCID): a translation lives until
 * a flush, a cr3 load or a re-walk removes it, which makes "missed flush" an upper-bound notion of
 * what real hardware may still hold. Not thread-safe; one replay, one thread.
 */
public final class TlbSet {
    private static final int RW = 1;
    private static final int US = 1 << 1;
    private static final int NXF = 1 << 2;
    private static final int GLOBAL = 1 << 3;
    private static final int DIRTY = 1 << 4;
    private static final int STALE = 1 << 5;
    private static final int REPORTED = 1 << 6;

    /** Flush scopes for {@link #flush}. */
    public enum Scope {
        /** Every entry, global ones included (flush_tlb all, a cr3 load without CR4.PGE). */
        ALL,
        /** Every non-global entry (a cr3 load with CR4.PGE, flush_tlb user). */
        NON_GLOBAL,
        /** Every entry of the page holding one vaddr, large pages included (INVLPG). */
        PAGE,
        /** Every entry overlapping [start, end) (a ranged multi flush). */
        RANGE
    }

    private final EntryFormat format;
    private final int vcpus;
    private final PdptRegisters pdptrs;
    private final Long2IntOpenHashMap[] index;
    private final int[] largeCount;

    // The entry pool, one slot per id.
    private int capacity = 256;
    private int highWater;
    private int[] cpuOf = new int[capacity];
    private long[] keyOf = new long[capacity];
    private long[] vbase = new long[capacity];
    private byte[] leafLevel = new byte[capacity];
    private long[] frame = new long[capacity];
    private int[] flags = new int[capacity];
    private long[] path = new long[capacity * 5];
    private int[] nextLeaf = new int[capacity];
    private int[] prevLeaf = new int[capacity];
    private int[] staleAt = new int[capacity];
    private boolean[] live = new boolean[capacity];
    /**
     * Each vCPU's entries, chained through nextOfCpu/prevOfCpu from cpuHead: a full flush visits
     * the entries the TLB holds. Iterating the index map instead visited every slot of its table,
     * sized for a full TLB (8,192 slots), on each of the many flushes of a mostly empty one.
     */
    private int[] nextOfCpu = new int[capacity];
    private int[] prevOfCpu = new int[capacity];
    private final int[] cpuHead;
    private final IntArrayList free = new IntArrayList();

    /**
     * fastutil's open hash maps shrink (rehash) when removals leave them a quarter full, but never
     * below their initial size: TLBs fill and empty on every context switch, so the maps start at
     * a size that keeps them from thrashing.
     */
    private static final int MAP_SIZE = 4096;

    /** Leaf slot gpa -> first entry whose leaf it is (chained through nextLeaf/prevLeaf). */
    private final Long2IntOpenHashMap leafHead = new Long2IntOpenHashMap(MAP_SIZE);
    /**
     * How many cached entries read a non-leaf slot, counted per bucket of slots (a counting
     * filter): 0 in a slot's bucket means no entry read that slot, and a store there needs no scan
     * of the pool; more is only "maybe", and the scan then checks each entry's path exactly.
     * Counting per bucket in an array costs a fill and a removal one array update per upper level,
     * where a count per slot in a hash map cost a hash update (and on removal a delete) each.
     */
    private final int[] upperRefs = new int[SLOT_BUCKETS];
    /**
     * The same count for leaf slots: a store to a slot whose bucket is 0 here needs no probe of
     * {@link #leafHead}. Most stores (a guest clearing an exiting process's tables, with its TLB
     * long flushed) find their bucket empty and cost one array read.
     */
    private final int[] leafRefs = new int[SLOT_BUCKETS];
    private static final int SLOT_BUCKETS = 4096;
    private final IntArrayList stale = new IntArrayList();
    private final IntArrayList scratch = new IntArrayList();

    /** vCPUs (bit n = vCPU n) whose non-global / global entries a gap left unknown, until flushed. */
    private long unknownNonGlobal;
    private long unknownGlobal;

    // Accumulators of the flush in progress.
    private int accRemoved;
    private int accStale;
    private long accMaxStart;
    private long accMinEnd;

    public TlbSet(EntryFormat format, int vcpus) {
        this.format = requireNonNull(format, "format");
        checkArgument(vcpus >= 1 && vcpus <= 64, "vcpus must be 1..64, got %s", vcpus);
        this.vcpus = vcpus;
        this.pdptrs = new PdptRegisters(format, vcpus);
        this.index = new Long2IntOpenHashMap[vcpus];
        for (int c = 0; c < vcpus; c++) {
            index[c] = new Long2IntOpenHashMap(MAP_SIZE);
            index[c].defaultReturnValue(-1);
        }
        this.largeCount = new int[vcpus];
        this.cpuHead = new int[vcpus];
        Arrays.fill(cpuHead, -1);
        leafHead.defaultReturnValue(-1);
    }

    public int vcpus() {
        return vcpus;
    }

    /**
     * The vCPUs' PAE PDPTE registers, which {@link #translate} walks with. A model whose cr3 loads
     * reload them calls {@link PdptRegisters#load}; until a vCPU's first load its walks read the
     * PDPT from memory.
     */
    public PdptRegisters pdptrs() {
        return pdptrs;
    }

    // ---- accesses ----

    /**
     * One access of {@code kind} from user or supervisor mode on vCPU {@code cpu} with {@code cr3}
     * loaded. A TLB entry that allows it is used (a write needs the entry to have been filled with
     * D set); otherwise the entry is dropped and {@code walker} walks, setting A/D and filling the
     * TLB on success. {@code out} holds the walk when there was one (FILLED, FAULT, UNKNOWN), made
     * with this set's {@link #pdptrs()}.
     */
    public Translation translate(int cpu, long cr3, long vaddr, Access.Kind kind, boolean user, Walker walker,
            Walk out) {
        long linear = format.linear(vaddr);
        int id = lookup(cpu, linear);
        if (id >= 0) {
            int f = flags[id];
            if (walker.permits((f & RW) != 0, (f & US) != 0, (f & NXF) != 0, kind, user)
                    && (kind != Access.Kind.WRITE || (f & DIRTY) != 0)) {
                if ((f & STALE) == 0) {
                    return Translation.HIT;
                }
                if ((f & REPORTED) == 0) {
                    flags[id] = f | REPORTED;
                    return Translation.STALE_HIT;
                }
                return Translation.STALE_REUSED;
            }
            remove(id);
        }
        if (walker.walk(cr3, pdptrs, cpu, vaddr, kind, user, true, out)) {
            fill(cpu, out);
            return Translation.FILLED;
        }
        return out.unknown() ? Translation.UNKNOWN : Translation.FAULT;
    }

    /** Caches a successful walk in vCPU {@code cpu}'s TLB, replacing an entry for the same page. */
    public void fill(int cpu, Walk w) {
        checkArgument(w.ok(), "only a successful walk fills the TLB");
        int level = w.leafLevel();
        long base = w.vaddr() & ~((1L << format.shift(level)) - 1);
        long key = key(base, level);
        int old = index[cpu].get(key);
        if (old >= 0) {
            remove(old);
        }
        int id = allocate();
        cpuOf[id] = cpu;
        keyOf[id] = key;
        vbase[id] = base;
        leafLevel[id] = (byte) level;
        frame[id] = w.frame();
        flags[id] = (w.writable() ? RW : 0) | (w.user() ? US : 0) | (w.nx() ? NXF : 0)
                | (w.global() ? GLOBAL : 0) | (w.dirty() ? DIRTY : 0);
        int top = format.top();
        for (int l = 1; l <= 4; l++) {
            path[id * 5 + l] = l >= level && l <= top ? w.slot(l) : -1;
        }
        index[cpu].put(key, id);
        if (level > 1) {
            largeCount[cpu]++;
        }
        int first = cpuHead[cpu];
        prevOfCpu[id] = -1;
        nextOfCpu[id] = first;
        if (first >= 0) {
            prevOfCpu[first] = id;
        }
        cpuHead[cpu] = id;
        long leafSlot = w.slot(level);
        leafRefs[slotBucket(leafSlot)]++;
        int head = leafHead.get(leafSlot);
        prevLeaf[id] = -1;
        nextLeaf[id] = head;
        if (head >= 0) {
            prevLeaf[head] = id;
        }
        leafHead.put(leafSlot, id);
        for (int l = level + 1; l <= top; l++) {
            upperRefs[slotBucket(w.slot(l))]++;
        }
    }

    // ---- page-table stores ----

    /**
     * Tells the TLBs that the entry at {@code slot} goes from {@code oldValue} to {@code newValue}.
     * A downgrade ({@link EntryFormat#isDowngrade}) marks stale every cached translation, on every
     * vCPU, whose walk read the slot. Call it before the store lands.
     *
     * @return how many translations became stale by this change
     */
    public int onEntryChange(long slot, long oldValue, long newValue) {
        int bucket = slotBucket(slot);
        boolean leafReaders = leafRefs[bucket] > 0;
        boolean upperReaders = upperRefs[bucket] > 0;
        if (!(leafReaders || upperReaders) || !format.isDowngrade(oldValue, newValue)) {
            return 0;
        }
        int marked = 0;
        if (leafReaders) {
            for (int id = leafHead.get(slot); id >= 0; id = nextLeaf[id]) {
                marked += markStale(id);
            }
        }
        if (upperReaders) {
            for (int id = 0; id < highWater; id++) {
                if (live[id] && readsUpper(id, slot)) {
                    marked += markStale(id);
                }
            }
        }
        return marked;
    }

    private boolean readsUpper(int id, long slot) {
        for (int l = leafLevel[id] + 1; l <= 4; l++) {
            if (path[id * 5 + l] == slot) {
                return true;
            }
        }
        return false;
    }

    private int markStale(int id) {
        if ((flags[id] & STALE) != 0) {
            return 0;
        }
        flags[id] |= STALE;
        staleAt[id] = stale.size();
        stale.add(id);
        return 1;
    }

    // ---- flushes ----

    /** Drops every entry of {@code cpu}, global ones included. */
    public FlushOutcome flushAll(int cpu) {
        return flush(1L << cpu, Scope.ALL, 0, 0);
    }

    /** Drops every non-global entry of {@code cpu}. */
    public FlushOutcome flushNonGlobal(int cpu) {
        return flush(1L << cpu, Scope.NON_GLOBAL, 0, 0);
    }

    /** Drops every entry of {@code cpu} for the page holding {@code vaddr}, large pages included. */
    public FlushOutcome flushPage(int cpu, long vaddr) {
        return flush(1L << cpu, Scope.PAGE, vaddr, 0);
    }

    /**
     * One flush on every vCPU in {@code cpus} (bit n = vCPU n), classified as a whole: a multi
     * flush or an IPI is one flush however many TLBs it reaches. {@code start} is the vaddr for
     * {@link Scope#PAGE}; [{@code start}, {@code end}) the range for {@link Scope#RANGE}.
     */
    public FlushOutcome flush(long cpus, Scope scope, long start, long end) {
        boolean sinceGap = (cpus & (unknownNonGlobal | unknownGlobal)) != 0;
        if (scope == Scope.ALL) {
            unknownNonGlobal &= ~cpus;
            unknownGlobal &= ~cpus;
        } else if (scope == Scope.NON_GLOBAL) {
            unknownNonGlobal &= ~cpus;
        }
        accRemoved = 0;
        accStale = 0;
        accMaxStart = Long.MIN_VALUE;
        accMinEnd = Long.MAX_VALUE;
        for (int cpu = 0; cpu < vcpus; cpu++) {
            if ((cpus & (1L << cpu)) == 0) {
                continue;
            }
            switch (scope) {
                case ALL -> dropAll(cpu);
                case NON_GLOBAL -> dropWhere(cpu, true, 0, 0);
                case PAGE -> dropPage(cpu, format.linear(start));
                case RANGE -> dropRange(cpu, format.linear(start), format.linear(end - 1) + 1);
                default -> throw new IllegalArgumentException("scope " + scope);
            }
        }
        if (accRemoved == 0) {
            return FlushOutcome.nothing(sinceGap);
        }
        boolean full = scope == Scope.ALL || scope == Scope.NON_GLOBAL;
        boolean overBroad = full && accStale > 0 && accMaxStart < accMinEnd;
        return new FlushOutcome(accRemoved, accStale, overBroad, sinceGap);
    }

    /**
     * The tracer lost events of {@code cpu} (a gap): what its TLB holds is unknown from here. The
     * lost events may have flushed it or filled it, so the entries it held are dropped (a missed
     * flush among them can no longer be seen: figures are lower bounds), and until flushes have
     * dropped what it may hold (the non-global part: a non-global or full flush, a cr3 load; the
     * global part, with CR4.PGE: a full flush) every flush that reaches it says so in its outcome.
     * Its PAE PDPTE registers are unknown too: they are forgotten until its next cr3 load.
     */
    public void forget(int cpu) {
        dropAll(cpu);
        pdptrs.forget(cpu);
        unknownNonGlobal |= 1L << cpu;
        if (format.cpu().pge()) {
            unknownGlobal |= 1L << cpu;
        }
    }

    /** Whether {@code cpu}'s TLB may hold what a gap left unknown. */
    public boolean sinceGap(int cpu) {
        return ((unknownNonGlobal | unknownGlobal) & (1L << cpu)) != 0;
    }

    private void dropAll(int cpu) {
        while (cpuHead[cpu] >= 0) {
            remove(cpuHead[cpu]);
        }
    }

    /** Drops the entries of {@code cpu} that are non-global ({@code nonGlobal}) or overlap [lo, hi). */
    private void dropWhere(int cpu, boolean nonGlobal, long lo, long hi) {
        scratch.clear();
        for (int id = cpuHead[cpu]; id >= 0; id = nextOfCpu[id]) {
            boolean hit = nonGlobal ? (flags[id] & GLOBAL) == 0
                    : vbase[id] < hi && vbase[id] + (1L << format.shift(leafLevel[id])) > lo;
            if (hit) {
                scratch.add(id);
            }
        }
        for (int i = 0; i < scratch.size(); i++) {
            remove(scratch.getInt(i));
        }
    }

    private void dropPage(int cpu, long linear) {
        int id = index[cpu].get(key(linear & ~0xfffL, 1));
        if (id >= 0) {
            remove(id);
        }
        if (largeCount[cpu] == 0) {
            return;
        }
        for (int level = 2; level <= format.top(); level++) {
            if (format.largeAllowed(level)) {
                long base = linear & ~((1L << format.shift(level)) - 1);
                id = index[cpu].get(key(base, level));
                if (id >= 0) {
                    remove(id);
                }
            }
        }
    }

    private void dropRange(int cpu, long lo, long hi) {
        long pages = (hi - lo + 0xfff) >>> 12;
        if (pages <= 64) {
            for (long v = lo & ~0xfffL; v < hi; v += 4096) {
                dropPage(cpu, v);
            }
        } else {
            dropWhere(cpu, false, lo, hi);
        }
    }

    // ---- frames going away ----

    /**
     * The page-table page at {@code pfn} is freed (release_pt): every stale translation that was
     * read through one of its slots and is still cached is a missed flush, told to {@code sink}.
     *
     * @return how many were reported
     */
    public int onTableFreed(long pfn, StaleSink sink) {
        return catchStale(pfn, true, sink);
    }

    /**
     * The frame at {@code pfn} becomes a page table (alloc_pt, a type change): every stale
     * translation still mapping it is a missed flush, told to {@code sink}.
     *
     * @return how many were reported
     */
    public int onFrameRetyped(long pfn, StaleSink sink) {
        return catchStale(pfn, false, sink);
    }

    private int catchStale(long pfn, boolean table, StaleSink sink) {
        scratch.clear();
        long pa = pfn << 12;
        for (int i = 0; i < stale.size(); i++) {
            int id = stale.getInt(i);
            if ((flags[id] & REPORTED) != 0) {
                continue;
            }
            boolean caught;
            if (table) {
                caught = false;
                for (int l = leafLevel[id]; l <= 4 && !caught; l++) {
                    long s = path[id * 5 + l];
                    caught = s >= 0 && (s >>> 12) == pfn;
                }
            } else {
                caught = pa >= frame[id] && pa < frame[id] + (1L << format.shift(leafLevel[id]));
            }
            if (caught) {
                flags[id] |= REPORTED;
                scratch.add(id);
            }
        }
        // By vCPU, then vaddr: the order in which translations went stale is an accident of the
        // pool's ids and of the order earlier flushes removed entries in, not something to report.
        int n = scratch.size();
        if (n > 1) {
            IntArrays.quickSort(scratch.elements(), 0, n, (a, b) -> cpuOf[a] != cpuOf[b]
                    ? Integer.compare(cpuOf[a], cpuOf[b]) : Long.compareUnsigned(vbase[a], vbase[b]));
        }
        for (int i = 0; i < n; i++) {
            int id = scratch.getInt(i);
            sink.missed(cpuOf[id], format.canonical(vbase[id]));
        }
        return n;
    }

    // ---- queries (reports, tests) ----

    /** How many translations vCPU {@code cpu}'s TLB holds. */
    public int size(int cpu) {
        return index[cpu].size();
    }

    /** How many cached translations are stale, over all vCPUs. */
    public int staleCount() {
        return stale.size();
    }

    /** Whether vCPU {@code cpu} caches a translation for {@code vaddr}. */
    public boolean holds(int cpu, long vaddr) {
        return lookup(cpu, format.linear(vaddr)) >= 0;
    }

    /** Whether vCPU {@code cpu}'s translation for {@code vaddr} is stale (false when none is cached). */
    public boolean isStale(int cpu, long vaddr) {
        int id = lookup(cpu, format.linear(vaddr));
        return id >= 0 && (flags[id] & STALE) != 0;
    }

    /** Whether vCPU {@code cpu}'s translation for {@code vaddr} allows writes without a re-walk. */
    public boolean holdsDirty(int cpu, long vaddr) {
        int id = lookup(cpu, format.linear(vaddr));
        return id >= 0 && (flags[id] & DIRTY) != 0;
    }

    // ---- the pool ----

    /** A slot's bucket in the reader counts: the entry index and frame bits, mixed so neighbouring tables spread. */
    static int slotBucket(long slot) {
        long h = (slot >>> 3) * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 52);
    }

    private static long key(long base, int level) {
        return ((base >>> 12) << 2) | (level - 1);
    }

    private int lookup(int cpu, long linear) {
        Long2IntOpenHashMap map = index[cpu];
        int id = map.get(key(linear & ~0xfffL, 1));
        if (id >= 0 || largeCount[cpu] == 0) {
            return id;
        }
        for (int level = 2; level <= format.top(); level++) {
            if (format.largeAllowed(level)) {
                id = map.get(key(linear & ~((1L << format.shift(level)) - 1), level));
                if (id >= 0) {
                    return id;
                }
            }
        }
        return -1;
    }

    /** Frees entry {@code id}: out of its vCPU's index and chain, the leaf chain and the upper refs. */
    private void remove(int id) {
        int cpu = cpuOf[id];
        int level = leafLevel[id];
        index[cpu].remove(keyOf[id]);
        if (level > 1) {
            largeCount[cpu]--;
        }
        int before = prevOfCpu[id];
        int after = nextOfCpu[id];
        if (before >= 0) {
            nextOfCpu[before] = after;
        } else {
            cpuHead[cpu] = after;
        }
        if (after >= 0) {
            prevOfCpu[after] = before;
        }
        accRemoved++;
        int f = flags[id];
        if ((f & STALE) != 0) {
            accStale++;
            long end = vbase[id] + (1L << format.shift(level));
            accMaxStart = Math.max(accMaxStart, vbase[id]);
            accMinEnd = Math.min(accMinEnd, end);
            int at = staleAt[id];
            int last = stale.getInt(stale.size() - 1);
            stale.set(at, last);
            staleAt[last] = at;
            stale.removeInt(stale.size() - 1);
        }
        long leafSlot = path[id * 5 + level];
        leafRefs[slotBucket(leafSlot)]--;
        int prev = prevLeaf[id];
        int next = nextLeaf[id];
        if (prev >= 0) {
            nextLeaf[prev] = next;
        } else if (next >= 0) {
            leafHead.put(leafSlot, next);
        } else {
            leafHead.remove(leafSlot);
        }
        if (next >= 0) {
            prevLeaf[next] = prev;
        }
        for (int l = level + 1; l <= 4; l++) {
            long s = path[id * 5 + l];
            if (s >= 0) {
                upperRefs[slotBucket(s)]--;
            }
        }
        live[id] = false;
        free.add(id);
    }

    private int allocate() {
        int id;
        if (!free.isEmpty()) {
            id = free.removeInt(free.size() - 1);
        } else {
            if (highWater == capacity) {
                grow();
            }
            id = highWater++;
        }
        live[id] = true;
        return id;
    }

    private void grow() {
        capacity *= 2;
        cpuOf = Arrays.copyOf(cpuOf, capacity);
        keyOf = Arrays.copyOf(keyOf, capacity);
        vbase = Arrays.copyOf(vbase, capacity);
        leafLevel = Arrays.copyOf(leafLevel, capacity);
        frame = Arrays.copyOf(frame, capacity);
        flags = Arrays.copyOf(flags, capacity);
        path = Arrays.copyOf(path, capacity * 5);
        nextLeaf = Arrays.copyOf(nextLeaf, capacity);
        prevLeaf = Arrays.copyOf(prevLeaf, capacity);
        staleAt = Arrays.copyOf(staleAt, capacity);
        live = Arrays.copyOf(live, capacity);
        nextOfCpu = Arrays.copyOf(nextOfCpu, capacity);
        prevOfCpu = Arrays.copyOf(prevOfCpu, capacity);
    }
}
