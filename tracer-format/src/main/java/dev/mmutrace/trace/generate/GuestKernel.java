package dev.mmutrace.trace.generate;

import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.AllocPt;
import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.LazyMmu;
import dev.mmutrace.trace.PageFault;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.Pin;
import dev.mmutrace.trace.PtepModifyProt;
import dev.mmutrace.trace.ReleasePt;
import dev.mmutrace.trace.SetPgd;
import dev.mmutrace.trace.SetPmd;
import dev.mmutrace.trace.SetPte;
import dev.mmutrace.trace.SetPteAt;
import dev.mmutrace.trace.SetPud;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.Unpin;
import dev.mmutrace.trace.WriteCr3;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2LongMap;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The guest kernel the generator pretends to be: the Linux mm operations a workload calls (boot,
 * fork, exec, exit, page fault, munmap, mprotect, kmap, context switch), each turned into the
 * paravirt MMU requests Linux would make, in Linux's order, appended to {@link #out}.
 *
 * <p>Three places where the generator emits more than a real trace shows, so that the emulated
 * guest memory stays exactly what the guest would see: the copy of the kernel's top-level
 * entries into a new pgd (a memcpy in pgd_ctor), the write-protect of a parent's PTEs at fork (an
 * atomic bit clear) and the clears of zap_pte_range (ptep_get_and_clear) are emitted as the
 * set_* events they amount to. And one reordering: the alloc_pt of a table a fault needs is
 * emitted just before the fault, so that the fault's implied retry (SPEC §2.1: before the vCPU's
 * next event that is not an entry update) finds the whole path in place.
 */
final class GuestKernel {
    /** Linux's tlb_single_page_flush_ceiling: more pages than this and a range flush is a full one. */
    static final int FLUSH_CEILING = 33;

    final Layout layout;
    final int vcpus;
    final Random random;
    final ArrayDeque<TraceEvent> out = new ArrayDeque<>();
    final GuestMm kernel;
    final GuestMm[] current;
    private final FrameAllocator tops = new FrameAllocator("top-level table", Layout.KERNEL_IMAGE, Layout.TOPS);
    private final FrameAllocator tables = new FrameAllocator("page-table", Layout.TOPS, Layout.TABLES);
    private final FrameAllocator data = new FrameAllocator("data", Layout.TABLES, Layout.HIGHMEM);
    private final Long2IntOpenHashMap dataRefs = new Long2IntOpenHashMap();
    /** The kernel's populated top-level slots (index, value), copied into every new pgd. */
    private final LongArrayList kernelTopSlots = new LongArrayList();
    /** PAE: the populated slots of init_mm's kernel pmd, copied into every new pgd's own. */
    private final LongArrayList kernelPmdSlots = new LongArrayList();
    /**
     * PAE: freed kernel pmd copies. Like a freed pgd, a copy keeps its kernel entries (Linux frees
     * it as it is), so it is only ever reused as another copy, where they are written again.
     */
    private final LongArrayList freeKernelPmds = new LongArrayList();
    private final List<Hook> pendingHooks = new ArrayList<>();
    private long clock = 1_000_000_000L;
    private int nextMmId = 1;

    GuestKernel(PagingMode mode, int vcpus, long seed) {
        this.layout = new Layout(mode);
        this.vcpus = vcpus;
        this.random = new Random(seed);
        this.kernel = new GuestMm(0, tops.allocate(), -1);
        this.current = new GuestMm[vcpus];
    }

    long initMmPgd() {
        return kernel.pgd();
    }

    private long now() {
        clock += 200 + random.nextInt(800);
        return clock;
    }

    // --- boot ---

    /**
     * Boot as a trace shows it: init_mm's tables for the vmalloc area and, on 32-bit, the kmap
     * window are allocated and hooked in, init_mm is pinned (its tree made read-only and pinned up
     * to FIXADDR_TOP, as xen_setup_kernel_pagetable does once the kernel's tables are built) and
     * loaded on every vCPU. The direct map is not written: Linux builds it before any tracer runs.
     */
    void boot() {
        ensureL1(0, kernel, layout.vmalloc(), false, false);
        if (layout.mode != PagingMode.FOUR_LEVEL) {
            ensureL1(0, kernel, layout.kmapAtomic(), false, false);
        }
        pin(0, kernel);
        for (int cpu = 0; cpu < vcpus; cpu++) {
            switchTo(cpu, kernel);
        }
    }

    // --- address spaces ---

    /**
     * pgd_alloc: a new pgd (and user pgd on x86-64) with init_mm's kernel entries copied; on PAE
     * the four pmds preallocated, the kernel one a copy of init_mm's.
     */
    GuestMm newMm(int cpu) {
        GuestMm mm = new GuestMm(nextMmId++, tops.allocate(),
                layout.mode == PagingMode.FOUR_LEVEL ? tops.allocate() : -1);
        if (layout.mode == PagingMode.PAE) {
            // Xen PAE guests share no kernel pmd (SHARED_KERNEL_PMD is 0): pgd_alloc preallocates
            // all four pmds and copies init_mm's kernel pmd entries into the fourth
            for (int slot = 0; slot < 4; slot++) {
                long pmd = slot == 3 && !freeKernelPmds.isEmpty()
                        ? freeKernelPmds.removeLong(freeKernelPmds.size() - 1) : tables.allocate();
                mm.tables.put(GuestMm.tableKey(2, (long) slot << 30), pmd);
                out.add(new AllocPt(cpu, now(), pmd, 2, false));
                if (slot == 3) {
                    for (int i = 0; i < kernelPmdSlots.size(); i += 2) {
                        int index = (int) kernelPmdSlots.getLong(i);
                        out.add(new SetPmd(cpu, now(), layout.slotGpa(pmd, index), kernelPmdSlots.getLong(i + 1)));
                    }
                }
                out.add(topSet(cpu, mm, slot, layout.hook(pmd, 3, true), true));
            }
        } else {
            for (int i = 0; i < kernelTopSlots.size(); i += 2) {
                out.add(topSet(cpu, mm, (int) kernelTopSlots.getLong(i), kernelTopSlots.getLong(i + 1), false));
            }
        }
        return mm;
    }

    void pin(int cpu, GuestMm mm) {
        mm.pinned = true;
        out.add(new Pin(cpu, now(), mm.pgd(), layout.top));
    }

    void unpin(int cpu, GuestMm mm) {
        mm.pinned = false;
        out.add(new Unpin(cpu, now(), mm.pgd(), layout.top));
    }

    /** switch_mm: load the mm's pgd; x86-64 PV loads the user pgd too (0 for init_mm, which has none). */
    void switchTo(int cpu, GuestMm mm) {
        current[cpu] = mm;
        out.add(new WriteCr3(cpu, now(), mm.pgd(), WriteCr3.Root.KERNEL));
        if (layout.mode == PagingMode.FOUR_LEVEL) {
            out.add(new WriteCr3(cpu, now(), mm.hasUserTop() ? mm.userTopPfn << 12 : 0, WriteCr3.Root.USER));
        }
    }

    /** Runs {@code mm} on {@code cpu} unless it already is there. */
    void run(int cpu, GuestMm mm) {
        if (current[cpu] != mm) {
            switchTo(cpu, mm);
        }
    }

    // --- user pages ---

    /**
     * A fault on an unmapped user page, handled the way do_anonymous_page / do_read_fault do:
     * the tables the path lacks, the fault, the hooks, the new PTE. Returns the frame mapped.
     */
    long fault(int cpu, GuestMm mm, long va, Access.Kind kind) {
        long pfn = allocateData();
        long value = kind == Access.Kind.WRITE ? layout.userData(pfn)
                : kind == Access.Kind.FETCH ? layout.userText(pfn) : layout.userReadOnly(pfn);
        faultMapping(cpu, mm, va, kind, value, -1);
        return pfn;
    }

    /** A fault whose handler installs {@code value}; {@code tablePfn} >= 0 forces the frame of a new L1. */
    void faultMapping(int cpu, GuestMm mm, long va, Access.Kind kind, long value, long tablePfn) {
        long l1 = ensureL1(cpu, mm, va, true, true, tablePfn);
        int error = PageFault.U | (kind == Access.Kind.WRITE ? PageFault.W : 0)
                | (kind == Access.Kind.FETCH && layout.nx ? PageFault.ID : 0);
        out.add(new PageFault(cpu, now(), va, error, kind == Access.Kind.FETCH ? va : layout.userText()));
        emitPendingHooks(cpu, mm);
        out.add(new SetPteAt(cpu, now(), mm.pgd(), va, layout.slotGpa(l1, layout.index(va, 1)), value));
        mm.pages.put(va, value);
    }

    /** A mapping made without a fault (fork's copy, exec's argument pages). */
    void map(int cpu, GuestMm mm, long va, long value) {
        long l1 = ensureL1(cpu, mm, va, true, false);
        out.add(new SetPteAt(cpu, now(), mm.pgd(), va, layout.slotGpa(l1, layout.index(va, 1)), value));
        mm.pages.put(va, value);
    }

    /** Changes a mapped page's entry through set_pte_at (fork's write-protect of the parent). */
    void rewrite(int cpu, GuestMm mm, long va, long value) {
        out.add(new SetPteAt(cpu, now(), mm.pgd(), va, slotOf(mm, va), value));
        mm.pages.put(va, value);
    }

    /** mprotect's change_pte_range: ptep_modify_prot_start/commit with the new protection. */
    void protect(int cpu, GuestMm mm, long va, long value) {
        out.add(new PtepModifyProt(cpu, now(), mm.pgd(), va, slotOf(mm, va), value));
        mm.pages.put(va, value);
    }

    /** zap_pte_range's clear of one page, and the frame's release when no one maps it any more. */
    void unmap(int cpu, GuestMm mm, long va) {
        long value = mm.pages.remove(va);
        out.add(new SetPteAt(cpu, now(), mm.pgd(), va, slotOf(mm, va), 0));
        releaseData(Layout.pfnOf(value));
    }

    long slotOf(GuestMm mm, long va) {
        long l1 = mm.tables.get(GuestMm.tableKey(1, va & -layout.span(1)));
        return layout.slotGpa(l1, layout.index(va, 1));
    }

    long l1Of(GuestMm mm, long va) {
        return mm.tables.get(GuestMm.tableKey(1, va & -layout.span(1)));
    }

    // --- kernel mappings ---

    /** A kernel PTE store with no vaddr (kmap_atomic's set_pte, or boot). */
    void setKernelPte(int cpu, long va, long value) {
        long l1 = ensureL1(cpu, kernel, va, false, false);
        out.add(new SetPte(cpu, now(), layout.slotGpa(l1, layout.index(va, 1)), value));
    }

    /** A kernel PTE store on init_mm with its vaddr (vmalloc's and pkmap's set_pte_at, pte_clear). */
    void setKernelPteAt(int cpu, long va, long value) {
        long l1 = ensureL1(cpu, kernel, va, false, false);
        out.add(new SetPteAt(cpu, now(), kernel.pgd(), va, layout.slotGpa(l1, layout.index(va, 1)), value));
    }

    // --- flushes and batching ---

    void lazy(int cpu, boolean enter) {
        out.add(new LazyMmu(cpu, now(), enter ? LazyMmu.Phase.ENTER : LazyMmu.Phase.LEAVE));
    }

    void flushOne(int cpu, long va) {
        out.add(FlushTlb.one(cpu, now(), va));
    }

    void flushUser(int cpu) {
        out.add(FlushTlb.user(cpu, now()));
    }

    void flushAll(int cpu) {
        out.add(FlushTlb.all(cpu, now()));
    }

    /**
     * flush_tlb_mm_range: up to the ceiling one invlpg per page, beyond it a full flush; and the
     * same request to every other vCPU that has the mm loaded, as one multi flush.
     */
    void flushRange(int cpu, GuestMm mm, long start, int pages) {
        if (pages <= FLUSH_CEILING) {
            for (int i = 0; i < pages; i++) {
                flushOne(cpu, start + ((long) i << 12));
            }
        } else {
            flushUser(cpu);
        }
        long others = 0;
        int count = 0;
        for (int c = 0; c < vcpus; c++) {
            if (c != cpu && current[c] == mm) {
                others |= 1L << c;
                count++;
            }
        }
        if (count > 0) {
            boolean full = pages > FLUSH_CEILING;
            out.add(new FlushTlb(cpu, now(), FlushTlb.Scope.MULTI, full ? TraceEvent.NO_ADDRESS : start,
                    full ? TraceEvent.NO_ADDRESS : start + ((long) pages << 12), others, count, mm.pgd()));
        }
    }

    // --- teardown ---

    /**
     * exit_mmap as the Xen guest does it: every vCPU still on the mm goes to init_mm first, the
     * mm is unpinned (its pages become ordinary memory again), then zap clears each PTE inside a
     * lazy MMU window and free_pgtables unhooks and releases each table, lowest level first.
     */
    void exitMmap(int cpu, GuestMm mm) {
        for (int c = 0; c < vcpus; c++) {
            if (current[c] == mm) {
                switchTo(c, kernel);
            }
        }
        if (mm.pinned) {
            unpin(cpu, mm);
        }
        lazy(cpu, true);
        for (long va : mm.pages.keySet().toLongArray()) {
            unmap(cpu, mm, va);
        }
        lazy(cpu, false);
        for (int level = 1; level < layout.top; level++) {
            for (Long2LongMap.Entry e : mm.tables.long2LongEntrySet().toArray(new Long2LongMap.Entry[0])) {
                if (GuestMm.levelOf(e.getLongKey()) == level) {
                    freeTable(cpu, mm, level, GuestMm.baseOf(e.getLongKey()));
                }
            }
        }
        tops.free(mm.topPfn);
        if (mm.hasUserTop()) {
            tops.free(mm.userTopPfn);
        }
    }

    /** free_pte_range and friends: clear the parent's slot, release the table, free its frame. */
    void freeTable(int cpu, GuestMm mm, int level, long base) {
        long pfn = mm.tables.remove(GuestMm.tableKey(level, base));
        int parentLevel = level + 1;
        long parent = parentLevel == layout.top ? mm.topPfn
                : mm.tables.get(GuestMm.tableKey(parentLevel, base & -layout.span(parentLevel)));
        out.add(hookSet(cpu, mm, parent, parentLevel, layout.index(base, parentLevel), 0, true));
        out.add(new ReleasePt(cpu, now(), pfn, level, mm.pinned));
        if (layout.mode == PagingMode.PAE && level == 2 && base == 3L << 30) {
            freeKernelPmds.add(pfn);
        } else if (pfn >= Layout.TOPS && pfn < Layout.TABLES) {
            tables.free(pfn);
        } else if (pfn >= Layout.TABLES && pfn < Layout.HIGHMEM) {
            // a data frame the buggy guest turned into a table: once the table is gone it is
            // ordinary memory again, or every looped round would lose one frame for good
            data.free(pfn);
        }
    }

    // --- frames ---

    long allocateData() {
        long pfn = data.allocate();
        dataRefs.put(pfn, 1);
        return pfn;
    }

    void shareData(long pfn) {
        if (dataRefs.containsKey(pfn)) {
            dataRefs.addTo(pfn, 1);
        }
    }

    private void releaseData(long pfn) {
        if (!dataRefs.containsKey(pfn)) {
            return; // not a data frame of ours: a table mapped by a buggy guest, or beyond memory
        }
        if (dataRefs.addTo(pfn, -1) == 1) {
            dataRefs.remove(pfn);
            data.free(pfn);
        }
    }

    /** Frees a data frame the caller allocated and no user page maps (vmalloc's pages). */
    void freeData(long pfn) {
        releaseData(pfn);
    }

    /**
     * Clears a user PTE but keeps its frame out of the data pool: the buggy guest turns the frame
     * into a page table while a TLB may still map it ({@link #freeTable} gives it back).
     */
    long unmapAndKeepFrame(int cpu, GuestMm mm, long va) {
        long value = mm.pages.remove(va);
        out.add(new SetPteAt(cpu, now(), mm.pgd(), va, slotOf(mm, va), 0));
        long pfn = Layout.pfnOf(value);
        dataRefs.remove(pfn);
        return pfn;
    }

    // --- tables ---

    private long ensureL1(int cpu, GuestMm mm, long va, boolean user, boolean deferHooks) {
        return ensureL1(cpu, mm, va, user, deferHooks, -1);
    }

    /**
     * The L1 table covering {@code va}, made (alloc_pt, then the hook into its parent) level by
     * level where missing. With {@code deferHooks}, the hooks wait for {@link #emitPendingHooks}.
     */
    private long ensureL1(int cpu, GuestMm mm, long va, boolean user, boolean deferHooks, long forcedL1) {
        long parent = mm.topPfn;
        for (int level = layout.top; level > 1; level--) {
            int child = level - 1;
            long key = GuestMm.tableKey(child, va & -layout.span(child));
            long table = mm.tables.get(key);
            if (table < 0) {
                table = child == 1 && forcedL1 >= 0 ? forcedL1 : tables.allocate();
                mm.tables.put(key, table);
                out.add(new AllocPt(cpu, now(), table, child, mm.pinned));
                Hook hook = new Hook(parent, level, layout.index(va, level), layout.hook(table, level, user));
                if (deferHooks) {
                    pendingHooks.add(hook);
                } else {
                    emitHook(cpu, mm, hook);
                }
            }
            parent = table;
        }
        return parent;
    }

    private void emitPendingHooks(int cpu, GuestMm mm) {
        for (Hook hook : pendingHooks) {
            emitHook(cpu, mm, hook);
        }
        pendingHooks.clear();
    }

    /** A new table's hook into its parent: slot {@code index} of table {@code parentPfn} at {@code level} gets {@code value}. */
    private record Hook(long parentPfn, int level, int index, long value) {
    }

    private void emitHook(int cpu, GuestMm mm, Hook hook) {
        int level = hook.level();
        out.add(hookSet(cpu, mm, hook.parentPfn(), level, hook.index(), hook.value(), mm != kernel));
        if (mm == kernel && level == layout.top) {
            kernelTopSlots.add(hook.index());
            kernelTopSlots.add(hook.value());
        } else if (mm == kernel && layout.mode == PagingMode.PAE && level == 2) {
            kernelPmdSlots.add(hook.index());
            kernelPmdSlots.add(hook.value());
        }
    }

    /** The store into slot {@code index} of a table of {@code level}: set_pgd, set_pud or set_pmd by mode. */
    private TraceEvent hookSet(int cpu, GuestMm mm, long tablePfn, int level, int index, long value, boolean user) {
        if (level == layout.top) {
            return topSet(cpu, mm, index, value, user);
        }
        long slot = layout.slotGpa(tablePfn, index);
        return level == 3 ? new SetPud(cpu, now(), slot, value) : new SetPmd(cpu, now(), slot, value);
    }

    /**
     * A top-level store. x86-64 PV mirrors user slots into the user pgd (set_pgd's second slot);
     * PAE's top is the PDPT (set_pud, pud folded into pgd); 2-level's is the page directory (set_pmd).
     */
    private TraceEvent topSet(int cpu, GuestMm mm, int index, long value, boolean user) {
        long slot = layout.slotGpa(mm.topPfn, index);
        switch (layout.mode) {
            case FOUR_LEVEL:
                long userSlot = user && mm.hasUserTop() ? layout.slotGpa(mm.userTopPfn, index) : TraceEvent.NO_ADDRESS;
                return new SetPgd(cpu, now(), slot, value, userSlot);
            case PAE:
                return new SetPud(cpu, now(), slot, value);
            default:
                return new SetPmd(cpu, now(), slot, value);
        }
    }
}
