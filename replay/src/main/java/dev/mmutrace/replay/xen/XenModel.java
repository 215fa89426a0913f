package dev.mmutrace.replay.xen;

import dev.mmutrace.replay.AccessRequest;
import dev.mmutrace.replay.GapFigures;
import dev.mmutrace.replay.GuestMemory;
import dev.mmutrace.replay.MemoryModel;
import dev.mmutrace.replay.MissedFlushes;
import dev.mmutrace.replay.ReplayContext;
import dev.mmutrace.replay.mmu.TlbSet;
import dev.mmutrace.replay.mmu.Translation;
import dev.mmutrace.replay.mmu.Walk;
import dev.mmutrace.replay.mmu.Walker;
import dev.mmutrace.replay.observe.Fault;
import dev.mmutrace.replay.observe.IgnoredEvent;
import dev.mmutrace.replay.observe.MissedFlush;
import dev.mmutrace.replay.observe.ObservationSink;
import dev.mmutrace.replay.observe.Remark;
import dev.mmutrace.replay.observe.UnknownStateWalk;
import dev.mmutrace.trace.AccessMode;
import dev.mmutrace.trace.AllocPt;
import dev.mmutrace.trace.EntryBits;
import dev.mmutrace.trace.EntryUpdate;
import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.LazyMmu;
import dev.mmutrace.trace.PageFault;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.Pin;
import dev.mmutrace.trace.PtepModifyProt;
import dev.mmutrace.trace.ReleasePt;
import dev.mmutrace.trace.SetPte;
import dev.mmutrace.trace.SetPteAt;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.Unpin;
import dev.mmutrace.trace.WriteCr3;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import java.util.Arrays;

/**
 * The Xen model: the Linux 2.6.2x guest port (arch/x86/xen/mmu.c, function by function) in
 * front of {@link Hypervisor}. Each trace event becomes what that guest would have done on
 * Xen: a plain store, a store that traps into ptwr, a direct hypercall, or an entry in its
 * vCPU's multicall buffer, which is issued when the guest leaves lazy MMU mode, when an op not
 * batched in that mode comes (write_cr3, pin, unpin), or when the buffer is full.
 *
 * <p>The guest side keeps only what the seed's code reads: which pages it has marked
 * PG_pinned, each vCPU's current mm and lazy mode, and which user pgd belongs to which kernel
 * pgd (x86-64). Entry values are translated pfn to mfn through the header's p2m on the way in.
 */
final class XenModel implements MemoryModel {
    /** 2.6.2x x86-64 TASK_SIZE_MAX rounded to the pgd slot: PTE pages above it are init_mm's. */
    private static final long TASK_SIZE_64 = 1L << 47;

    private final GuestMemory memory;
    private final ObservationSink sink;
    private final Walker walker;
    private final TlbSet tlbs;
    private final Walk walk = new Walk();
    private final boolean implied;
    private final EntryRules rules;
    private final PhysMap phys;
    private final FrameTable frames;
    private final Hypervisor xen;
    private final boolean fourLevel;
    private final boolean pae;
    private final int mmuextBytes;
    private final long initMm;
    private final long taskSize;
    private final long pageOffset;
    private final int holeLow;
    private final int holeHigh;
    private final long kernelPteFlags;

    private final long[] currentMm;
    private final boolean[] lazy;
    /** Per vCPU: a gap left the root its hardware walks from unknown, until its next write_cr3. */
    private final boolean[] rootUnknown;
    /** x86-64: the vCPU whose write_cr3 batch waits for its user root, or -1; and the write_cr3's event. */
    private int cr3BatchCpu = -1;
    private long cr3BatchEvent;
    private final McBuffer[] buffers;
    /** PG_pinned, by pfn. */
    private final PfnSet pinned = new PfnSet();
    private final UpperSlots upperPresent;
    /** x86-64: kernel pgd pfn to its user pgd pfn (xen_get_user_pgd). */
    private final Long2LongOpenHashMap userPgd = new Long2LongOpenHashMap();
    private boolean remarked;


    XenModel(ReplayContext context, ObservationSink sink, boolean ioRights, boolean allowHugepage) {
        TraceHeader header = context.header();
        PagingMode mode = header.pagingMode();
        this.memory = context.memory();
        this.sink = sink;
        this.walker = context.walker();
        this.tlbs = new TlbSet(walker.format(), header.vcpus());
        this.implied = header.accessMode() == AccessMode.IMPLIED;
        this.rules = new EntryRules(mode, header.cpuFeatures().nxe(), ioRights);
        this.phys = new PhysMap(header.p2m(), header.pfnLimit());
        this.fourLevel = mode == PagingMode.FOUR_LEVEL;
        this.pae = mode == PagingMode.PAE;
        this.mmuextBytes = fourLevel ? 24 : 12;
        this.pageOffset = header.pageOffset();
        long lowmem = fourLevel ? header.pfnLimit() : Math.min(header.pfnLimit(), lowmemFrames(pageOffset));
        this.frames = new FrameTable(lowmem);
        this.xen = new Hypervisor(rules, phys, frames, tlbs, pageOffset, lowmem, header.vcpus(),
                header.hasInitMmPgd() ? EntryBits.pageNumber(header.initMmPgd()) : -1, sink, allowHugepage);
        this.taskSize = fourLevel ? TASK_SIZE_64 : pageOffset;
        this.holeLow = fourLevel ? 256 : Integer.MAX_VALUE;
        this.holeHigh = fourLevel ? rules.index(4, pageOffset) : Integer.MAX_VALUE;
        this.kernelPteFlags = EntryBits.PRESENT | EntryBits.ACCESSED | EntryBits.DIRTY
                | (header.cpuFeatures().nxe() && mode.hasNx() ? EntryBits.NX : 0);
        this.upperPresent = new UpperSlots(memory.entriesPerFrame());
        this.userPgd.defaultReturnValue(-1);
        this.currentMm = new long[header.vcpus()];
        this.lazy = new boolean[header.vcpus()];
        this.rootUnknown = new boolean[header.vcpus()];
        this.buffers = new McBuffer[header.vcpus()];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = new McBuffer(mmuextBytes);
        }
        this.initMm = header.hasInitMmPgd() ? page(header.initMmPgd()) : -1;
        Arrays.fill(currentMm, initMm);
    }

    /** 32-bit lowmem: what the direct map covers below the 128 MiB vmalloc reserve (896 MiB at 3G/1G). */
    private static long lowmemFrames(long pageOffset) {
        return Math.max(0, EntryBits.pageNumber((1L << 32) - pageOffset - (128L << 20)));
    }

    @Override
    public String name() {
        return XenModelFactory.NAME;
    }

    @Override
    public void onEvent(long index, TraceEvent e) {
        int cpu = e.cpu();
        xen.running(cpu);
        if (!remarked) {
            remarked = true;
            if (rules.mode() == PagingMode.TWO_LEVEL) {
                sink.observe(new Remark(index, cpu, "approximation",
                        "Xen 3.4 runs no non-PAE 32-bit PV guest; the 32-bit PAE disallow masks are applied to 2level entries"));
            }
        }
        if (cr3BatchCpu >= 0 && !(cpu == cr3BatchCpu && e instanceof WriteCr3 w && w.root() == WriteCr3.Root.USER)) {
            closeCr3Batch();
        }
        switch (e.type()) {
            case SET_PTE -> setPte(index, cpu, ((SetPte) e).entryGpa(), ((SetPte) e).value());
            case SET_PTE_AT -> setPteAt(index, (SetPteAt) e);
            case PTEP_MODIFY_PROT -> ptepModifyProtCommit(index, (PtepModifyProt) e);
            case SET_PMD, SET_PUD, SET_PGD -> {
                EntryUpdate u = EntryUpdate.of(e);
                setUpper(index, cpu, u.entryGpa(), u.value(), u.userEntryGpa());
            }
            case WRITE_CR3 -> writeCr3(index, (WriteCr3) e);
            case PAGE_FAULT -> pageFault(index, (PageFault) e);
            case PIN -> pgdPin(index, cpu, page(((Pin) e).tableGpa()));
            case UNPIN -> pgdUnpin(index, cpu, page(((Unpin) e).tableGpa()));
            case ALLOC_PT -> allocPtpage(index, (AllocPt) e);
            case RELEASE_PT -> releasePtpage(index, (ReleasePt) e);
            case FLUSH_TLB -> flushTlb(index, (FlushTlb) e);
            case LAZY_MMU -> {
                if (((LazyMmu) e).phase() == LazyMmu.Phase.ENTER) {
                    lazy[cpu] = true;
                } else {
                    lazy[cpu] = false;
                    issue(cpu, index);
                }
            }
            case GAP -> gap(index, cpu);
            default -> sink.observe(new IgnoredEvent(index, cpu, e.type().wireName()));
        }
    }

    /**
     * The tracer lost events of {@code cpu}. Whatever its batch held went out among them (the
     * window closed or the buffer filled), so it is issued here and the vCPU is out of lazy mode
     * until its next enter; its current mm is unknown (its next set_pte_at is taken as on another
     * mm) and so is the root its hardware walks from, until its next write_cr3; its TLB is
     * forgotten. Xen's own bookkeeping (types, pins, the base pointer's reference) carries on from
     * what the trace showed: what lost hypercalls did to it cannot be recovered.
     */
    private void gap(long index, int cpu) {
        lazy[cpu] = false;
        issue(cpu, index);
        currentMm[cpu] = -1;
        rootUnknown[cpu] = true;
        tlbs.forget(cpu);
    }

    /** The root vCPU {@code cpu}'s hardware walks from, {@link Walk#NO_CR3} when a gap left it unknown. */
    private long walkRoot(int cpu) {
        return rootUnknown[cpu] ? Walk.NO_CR3 : xen.rootGpa(cpu);
    }

    /**
     * The guest runs on the real MMU: an access goes through its vCPU's TLB and, on a miss, the
     * hardware walk from the root Xen loaded. A fault goes to Xen first, which bounces it to the
     * guest's handler. An implied retry that faults again is not a second fault.
     */
    @Override
    public void onAccess(long index, AccessRequest access) {
        if (cr3BatchCpu >= 0) {
            closeCr3Batch();
        }
        int cpu = access.cpu();
        Translation t = tlbs.translate(cpu, walkRoot(cpu), access.vaddr(), access.kind(), access.user(), walker, walk);
        if (t.walked()) {
            GapFigures.walked(walk, index, cpu, sink);
        }
        switch (t) {
            case STALE_HIT -> sink.observe(new MissedFlush(index, cpu, access.vaddr(), MissedFlush.Why.USED_STALE));
            case UNKNOWN, FAULT -> {
                if (t == Translation.UNKNOWN) {
                    sink.observe(new UnknownStateWalk(index, cpu, access.vaddr(), walk.unknownSlot()));
                }
                if (!access.retry()) {
                    xen.guestFault(index, cpu, access.vaddr(), walk.errorCode());
                }
            }
            default -> {
            }
        }
    }

    /**
     * page_fault. Implied accesses: the fault happened, Xen bounced it to the guest (SPURIOUS when
     * the tables at the fault already permit the access). Explicit accesses: the faulting access
     * was the fault; this event is only the guest's claim, SPURIOUS when the walk permits it.
     */
    private void pageFault(long index, PageFault f) {
        int cpu = f.cpu();
        walker.walk(walkRoot(cpu), f.vaddr(), f.accessKind(), f.user(), false, walk);
        if (walk.unknown()) {
            sink.observe(new UnknownStateWalk(index, cpu, f.vaddr(), walk.unknownSlot()));
        }
        GapFigures.walked(walk, index, cpu, sink);
        if (implied) {
            xen.bounce(index, cpu, walk.ok() ? Fault.Kind.SPURIOUS : Fault.Kind.GUEST, f.vaddr(), f.errorCode());
        } else if (walk.ok()) {
            sink.observe(new Fault(index, cpu, Fault.Kind.SPURIOUS, f.vaddr(), f.errorCode()));
        }
    }

    @Override
    public void onEnd(long events) {
        if (cr3BatchCpu >= 0) {
            closeCr3Batch();
        }
        for (int cpu = 0; cpu < buffers.length; cpu++) {
            issue(cpu, events - 1);
        }
    }

    // ---- Entry stores ----------------------------------------------------------------------

    /** xen_set_pte: a plain store (see {@link #store}). */
    private void setPte(long index, int cpu, long gpa, long value) {
        store(index, cpu, gpa, machine(value));
    }

    /**
     * A plain store of an entry. Under PAE it is two 32-bit stores: xen_set_pte writes the high
     * word first, then the low one (the entry becomes present last); a clear is xen_pte_clear,
     * low word first (the entry stops being present first).
     */
    private void store(long index, int cpu, long gpa, long machineEntry) {
        long slotMfn = slotMfn(gpa);
        if (pae) {
            long old = xen.machineEntry(slotMfn, rules.mode().slotIndex(gpa));
            long half = EntryBits.present(machineEntry)
                    ? (machineEntry & 0xFFFF_FFFF_0000_0000L) | (old & 0xFFFF_FFFFL)
                    : (old & 0xFFFF_FFFF_0000_0000L) | (machineEntry & 0xFFFF_FFFFL);
            xen.store(index, cpu, slotMfn, gpa, half);
        }
        xen.store(index, cpu, slotMfn, gpa, machineEntry);
    }

    /**
     * xen_set_pte_at: on the current or kernel mm, update_va_mapping (queued in lazy mode;
     * otherwise direct, falling back to a plain store if Xen refuses); on another mm a plain store.
     */
    private void setPteAt(long index, SetPteAt s) {
        int cpu = s.cpu();
        long value = machine(s.value());
        long mm = page(s.mm());
        if (mm == currentMm[cpu] || mm == initMm) {
            if (lazy[cpu]) {
                entry(cpu, index, 0).addUpdateVaMapping(index, s.vaddr(), value, 0);
                return;
            }
            if (!xen.updateVaMapping(index, cpu, s.vaddr(), value, 0).refused()) {
                return;
            }
        }
        store(index, cpu, s.entryGpa(), value);
    }

    /** xen_ptep_modify_prot_commit: an mmu_update with MMU_PT_UPDATE_PRESERVE_AD, batched. */
    private void ptepModifyProtCommit(long index, PtepModifyProt p) {
        extendMmuUpdate(p.cpu(), index, slotMa(p.entryGpa()) | Hypervisor.MMU_PT_UPDATE_PRESERVE_AD, machine(p.value()));
        issueUnlessLazy(p.cpu(), index);
    }

    /**
     * xen_set_pmd / xen_set_pud / xen_set_pgd: a plain store into a page not pinned, else an
     * mmu_update (the x86-64 user pgd's slot in the same entry).
     */
    private void setUpper(long index, int cpu, long gpa, long value, long userGpa) {
        notePresence(gpa, value);
        if (userGpa != TraceEvent.NO_ADDRESS) {
            notePresence(userGpa, value);
        }
        long mvalue = machine(value);
        if (userGpa != TraceEvent.NO_ADDRESS) {
            userPgd.put(EntryBits.pageNumber(gpa), EntryBits.pageNumber(userGpa));
        }
        if (!pinned.contains(EntryBits.pageNumber(gpa))) {
            store(index, cpu, gpa, mvalue);
            if (userGpa != TraceEvent.NO_ADDRESS) {
                store(index, cpu, userGpa, mvalue);
            }
            return;
        }
        extendMmuUpdate(cpu, index, slotMa(gpa), mvalue);
        if (userGpa != TraceEvent.NO_ADDRESS) {
            extendMmuUpdate(cpu, index, slotMa(userGpa), mvalue);
        }
        issueUnlessLazy(cpu, index);
    }

    // ---- cr3 ---------------------------------------------------------------------------------

    /**
     * xen_write_cr3: NEW_BASEPTR, and on x86-64 NEW_USER_BASEPTR in the same batch. The trace
     * gives the two roots as two events; the kernel one leaves the batch open for the user one,
     * and any other event (of any vCPU) first completes it with the user root the guest would
     * have passed ({@link #closeCr3Batch}) and issues it, since the guest does both at once.
     */
    private void writeCr3(long index, WriteCr3 w) {
        int cpu = w.cpu();
        long pgd = page(w.pgd());
        if (w.root() == WriteCr3.Root.KERNEL) {
            if (pgd == initMm && !pinned.contains(EntryBits.pageNumber(pgd))) {
                pinInitMm(index, cpu);
            }
            currentMm[cpu] = pgd;
            rootUnknown[cpu] = false;
            entryForMmuext(cpu, index).addMmuext(index, Mmuext.NEW_BASEPTR, phys.mfn(EntryBits.pageNumber(pgd)));
            if (fourLevel) {
                cr3BatchCpu = cpu;
                cr3BatchEvent = index;
            } else {
                issue(cpu, index);
            }
            return;
        }
        if (!fourLevel) {
            sink.observe(new IgnoredEvent(index, cpu, "write_cr3 user root outside x86-64"));
            return;
        }
        if (cr3BatchCpu == cpu && currentMm[cpu] >= 0 && pgd != 0) {
            userPgd.put(EntryBits.pageNumber(currentMm[cpu]), EntryBits.pageNumber(pgd));
        }
        // gpa 0 is how a trace says "no user pgd" (init_mm has none): Linux then passes mfn 0.
        long mfn = pgd == 0 ? 0 : mfnOrInvalid(EntryBits.pageNumber(pgd));
        entryForMmuext(cpu, index).addMmuext(index, Mmuext.NEW_USER_BASEPTR, mfn);
        issue(cpu, index);
    }

    /**
     * The user root the trace did not show. x86-64 xen_write_cr3 always queues NEW_USER_BASEPTR
     * right after NEW_BASEPTR, with the mm's user pgd (xen_get_user_pgd) or 0 when it has none
     * (xen.md §2.12): a trace with only the kernel root (hand-written, a kernel thread) still
     * makes that call, at the kernel root's event, with the user pgd the trace named for this mm
     * (a set_pgd's user slot, an earlier user-root write_cr3) or 0.
     */
    private void closeCr3Batch() {
        int cpu = cr3BatchCpu;
        long user = currentMm[cpu] >= 0 ? userPgd.get(EntryBits.pageNumber(currentMm[cpu])) : -1;
        long mfn = user < 0 ? 0 : mfnOrInvalid(user);
        entryForMmuext(cpu, cr3BatchEvent).addMmuext(cr3BatchEvent, Mmuext.NEW_USER_BASEPTR, mfn);
        issue(cpu, cr3BatchEvent);
    }

    // ---- Pinning -----------------------------------------------------------------------------

    /**
     * The Xen guest never runs on an unpinned init_mm: the domain builder hands it pinned tables
     * and xen_pagetable_setup_done pins the kernel's own with xen_pgd_pin. A trace that builds
     * init_mm and loads it without showing that pin gets it here, before the first load, with a
     * Remark saying so.
     */
    private void pinInitMm(long index, int cpu) {
        sink.observe(new Remark(index, cpu, "xen.init_mm_pin",
                "the trace loads init_mm without pinning it first; the Xen guest pins it at boot "
                        + "(xen_pagetable_setup_done), so the model does that pin here"));
        pgdPin(index, cpu, initMm);
    }

    /**
     * xen_pgd_pin: one batch that makes every page of the tree read-only (the top page last,
     * with a TLB flush), pins each PTE page as an L1, then pins the top (and the x86-64 user pgd).
     */
    private void pgdPin(long index, int cpu, long pgd) {
        long top = EntryBits.pageNumber(pgd);
        int level = rules.topLevel();
        walk(index, cpu, top, level, true, pgd == initMm ? -1L : taskSize);
        pinPage(index, cpu, top, level);
        doPin(index, cpu, Mmuext.pin(level), top);
        long user = fourLevel ? userPgd.get(top) : -1;
        if (user >= 0) {
            pinPage(index, cpu, user, level);
            doPin(index, cpu, Mmuext.pin(level), user);
        }
        issue(cpu, index);
    }

    /** xen_pgd_unpin: UNPIN_TABLE on the top (and user pgd) first, then every page read-write again. */
    private void pgdUnpin(long index, int cpu, long pgd) {
        long top = EntryBits.pageNumber(pgd);
        int level = rules.topLevel();
        doPin(index, cpu, Mmuext.UNPIN_TABLE, top);
        long user = fourLevel ? userPgd.get(top) : -1;
        if (user >= 0) {
            doPin(index, cpu, Mmuext.UNPIN_TABLE, user);
            unpinPage(index, cpu, user, level);
        }
        walk(index, cpu, top, level, false, pgd == initMm ? -1L : taskSize);
        unpinPage(index, cpu, top, level);
        issue(cpu, index);
    }

    /**
     * pgd_walk: every page below the top, in the seed's order (each upper page before the pages
     * it points to); PTE pages only for addresses below {@code limit}: TASK_SIZE for a process,
     * the rest being init_mm's and pinned with it, and everything (FIXADDR_TOP, here -1
     * unsigned) for init_mm itself, as the seed's comment on the walk says. The seed is 32-bit
     * and walks every upper page; x86-64 (2.6.27's xen_pgd_walk) also stops the top-level loop
     * at the limit and skips the slots between the user half and PAGE_OFFSET (Xen's hole).
     */
    private void walk(long index, int cpu, long tablePfn, int level, boolean pin, long limit) {
        walkChildren(index, cpu, tablePfn, level, pin, 0, true, limit);
    }

    private void walkChildren(long index, int cpu, long tablePfn, int level, boolean pin, long base, boolean top,
            long limit) {
        for (int i = upperPresent.next(tablePfn, 0); i >= 0; i = upperPresent.next(tablePfn, i + 1)) {
            if (top && i >= holeLow && i < holeHigh) {
                continue;
            }
            long e = memory.read(memory.slotGpa(tablePfn, i));
            if (!EntryBits.present(e)) {
                continue;
            }
            long child = rules.guestPfn(e);
            long va = base + i * rules.span(level);
            if (top) {
                va = rules.mode().canonical(va);
            }
            if (top && fourLevel && Long.compareUnsigned(va, limit) >= 0) {
                // x86-64 2.6.2x stops at pgd_index(limit): a process's walk leaves the kernel
                // half, init_mm's shared pages, alone.
                continue;
            }
            if (level == 2) {
                if ((e & EntryBits.PSE) == 0 && Long.compareUnsigned(va, limit) < 0) {
                    visit(index, cpu, child, 1, pin);
                }
            } else {
                visit(index, cpu, child, level - 1, pin);
                walkChildren(index, cpu, child, level - 1, pin, va, false, limit);
            }
        }
    }

    /** Keeps {@link #upperPresent} true to the store about to land at {@code gpa}. */
    private void notePresence(long gpa, long value) {
        upperPresent.note(EntryBits.pageNumber(gpa), rules.mode().slotIndex(gpa), EntryBits.present(value));
    }

    private void visit(long index, int cpu, long pfn, int level, boolean pin) {
        if (pin) {
            pinPage(index, cpu, pfn, level);
        } else {
            unpinPage(index, cpu, pfn, level);
        }
    }

    /** pin_page: a page not yet PG_pinned is made read-only (TLB flush on the top) and, if a PTE page, pinned as L1. */
    private void pinPage(long index, int cpu, long pfn, int level) {
        if (!pinned.add(pfn) || frames.highmem(pfn)) {
            return;
        }
        int flags = level == rules.topLevel() ? Hypervisor.UVMF_TLB_FLUSH : 0;
        entry(cpu, index, 0).addUpdateVaMapping(index, directMapVa(pfn), kernelPte(pfn, false), flags);
        if (level == 1) {
            doPin(index, cpu, Mmuext.PIN_L1_TABLE, pfn);
        }
    }

    /** unpin_page: a PG_pinned page is unpinned (PTE pages) and made read-write again (TLB flush on the top). */
    private void unpinPage(long index, int cpu, long pfn, int level) {
        if (!pinned.remove(pfn) || frames.highmem(pfn)) {
            return;
        }
        if (level == 1) {
            doPin(index, cpu, Mmuext.UNPIN_TABLE, pfn);
        }
        int flags = level == rules.topLevel() ? Hypervisor.UVMF_TLB_FLUSH : 0;
        entry(cpu, index, 0).addUpdateVaMapping(index, directMapVa(pfn), kernelPte(pfn, true), flags);
    }

    /** xen_do_pin: one mmuext op (pin or unpin) in the batch. */
    private void doPin(long index, int cpu, Mmuext cmd, long pfn) {
        entryForMmuext(cpu, index).addMmuext(index, cmd, mfnOrInvalid(pfn));
    }

    /**
     * xen_alloc_ptpage: a page-table page for a pinned mm is marked PG_pinned, made read-only and,
     * if a PTE page, pinned as L1, each by a direct hypercall that BUGs on failure. Xen's type
     * change at that pin flushes the dirty vCPUs that may still map the frame (tlbflush_filter),
     * so only a stale translation that survives the hypercalls is a missed flush.
     */
    private void allocPtpage(long index, AllocPt a) {
        int cpu = a.cpu();
        long pfn = a.pfn();
        if (!a.pinned()) {
            sink.observe(new IgnoredEvent(index, cpu, "alloc_pt"));
        } else {
            pinned.add(pfn);
            if (!frames.highmem(pfn)) {
                pinLowmemPtpage(index, cpu, pfn, a.level());
            }
        }
        MissedFlushes.frameRetyped(tlbs, index, pfn, sink);
    }

    /** make_lowmem_page_readonly, then pin_pagetable_pfn(MMUEXT_PIN_L1_TABLE) for a PTE page. */
    private void pinLowmemPtpage(long index, int cpu, long pfn, int level) {
        bugOnRefusal(xen.updateVaMapping(index, cpu, directMapVa(pfn), kernelPte(pfn, false), 0));
        if (level == 1) {
            bugOnRefusal(xen.mmuext(index, cpu, Mmuext.PIN_L1_TABLE, mfnOrInvalid(pfn)));
        }
    }

    /**
     * xen_release_ptpage: a PG_pinned page is unpinned (PTE pages) and made read-write again.
     * Making it writable is a type change whose filter flush reaches every dirty vCPU that may
     * still hold a walk through it, so only what survives the hypercalls is a missed flush.
     */
    private void releasePtpage(long index, ReleasePt r) {
        int cpu = r.cpu();
        long pfn = r.pfn();
        if (!pinned.remove(pfn)) {
            sink.observe(new IgnoredEvent(index, cpu, "release_pt"));
        } else if (!frames.highmem(pfn)) {
            if (r.level() == 1) {
                bugOnRefusal(xen.mmuext(index, cpu, Mmuext.UNPIN_TABLE, mfnOrInvalid(pfn)));
            }
            bugOnRefusal(xen.updateVaMapping(index, cpu, directMapVa(pfn), kernelPte(pfn, true), 0));
        }
        MissedFlushes.tableFreed(tlbs, index, pfn, sink);
    }

    /** xen_alloc_ptpage and xen_release_ptpage BUG() on a direct hypercall's error. */
    private void bugOnRefusal(Refusal r) {
        if (r.refused()) {
            xen.report(r, Hypervisor.GUEST_BUG_HYPERCALL);
        }
    }

    // ---- Flushes -----------------------------------------------------------------------------

    /**
     * xen_flush_tlb / xen_flush_tlb_single / xen_flush_tlb_others: TLB_FLUSH_LOCAL,
     * INVLPG_LOCAL, and TLB_FLUSH_MULTI or INVLPG_MULTI to the other vCPUs (none: no call).
     * 2.6.2x flush_tlb_others takes one address; a range wider than a page flushes the mm.
     */
    private void flushTlb(long index, FlushTlb f) {
        int cpu = f.cpu();
        switch (f.scope()) {
            case USER, ALL -> entryForMmuext(cpu, index).addFlush(index, Mmuext.TLB_FLUSH_LOCAL, 0, 0, f.scope());
            case ONE -> entryForMmuext(cpu, index).addFlush(index, Mmuext.INVLPG_LOCAL, f.vaddr(), 0, f.scope());
            default -> {
                long mask = 0;
                for (int c = 0; c < currentMm.length; c++) {
                    if (c != cpu && f.targets(c)) {
                        mask |= 1L << c;
                    }
                }
                if (mask == 0) {
                    return;
                }
                boolean onePage = !f.isFullRange()
                        && (f.vaddrEnd() == TraceEvent.NO_ADDRESS || EntryBits.pageNumber(f.vaddrEnd() - 1) == EntryBits.pageNumber(f.vaddr()));
                if (onePage) {
                    entryForMmuext(cpu, index).addFlush(index, Mmuext.INVLPG_MULTI, f.vaddr(), mask, f.scope());
                } else {
                    entryForMmuext(cpu, index).addFlush(index, Mmuext.TLB_FLUSH_MULTI, 0, mask, f.scope());
                }
            }
        }
        issueUnlessLazy(cpu, index);
    }

    // ---- The multicall buffer ----------------------------------------------------------------

    /** __xen_mc_entry: room for one entry with {@code args} bytes, issuing the buffer first if full. */
    private McBuffer entry(int cpu, long index, int args) {
        McBuffer b = buffers[cpu];
        if (!b.fits(args)) {
            issue(cpu, index);
        }
        return b;
    }

    private McBuffer entryForMmuext(int cpu, long index) {
        McBuffer b = buffers[cpu];
        if (!b.fitsMmuext()) {
            issue(cpu, index);
        }
        return b;
    }

    /** xen_extend_mmu_update: into the last entry if it is an mmu_update with room, else a new entry. */
    private void extendMmuUpdate(int cpu, long index, long ptr, long value) {
        McBuffer b = buffers[cpu];
        if (b.canExtendMmuUpdate()) {
            b.extendMmuUpdate(index, ptr, value);
        } else {
            entry(cpu, index, McBuffer.MMU_UPDATE_BYTES).addMmuUpdate(index, ptr, value);
        }
    }

    /** xen_mc_issue(PARAVIRT_LAZY_MMU): sends the batch now unless the vCPU is in lazy MMU mode. */
    private void issueUnlessLazy(int cpu, long index) {
        if (!lazy[cpu]) {
            issue(cpu, index);
        }
    }

    /** xen_mc_flush: one multicall of whatever the vCPU's buffer holds. */
    private void issue(int cpu, long index) {
        if (cpu == cr3BatchCpu) {
            cr3BatchCpu = -1;
        }
        xen.multicall(index, cpu, buffers[cpu]);
    }

    // ---- pfn to mfn --------------------------------------------------------------------------

    /**
     * xen_make_pte and friends: a present entry's pfn replaced by its mfn. The Xen guest builds
     * its entries with a {@code __supported_pte_mask} from which xen_start_kernel removed
     * _PAGE_GLOBAL, so the global bit a trace may carry is dropped too.
     */
    private long machine(long value) {
        if (!EntryBits.present(value)) {
            return value;
        }
        long mfn = mfnOrInvalid(rules.guestPfn(value));
        return (value & ~rules.guestFrameMask() & ~EntryBits.GLOBAL) | EntryBits.pageAddress(mfn);
    }

    private long mfnOrInvalid(long pfn) {
        long mfn = phys.mfn(pfn);
        return mfn < 0 ? rules.invalidMfn() : mfn;
    }

    private long slotMfn(long gpa) {
        return mfnOrInvalid(EntryBits.pageNumber(gpa));
    }

    /** virt_to_machine of an entry slot: the machine address mmu_update names it by. */
    private long slotMa(long gpa) {
        return EntryBits.pageAddress(slotMfn(gpa)) | (gpa & EntryBits.PAGE_OFFSET_MASK);
    }

    /** pfn_pte(pfn, PAGE_KERNEL or PAGE_KERNEL_RO), already in machine form. */
    private long kernelPte(long pfn, boolean writable) {
        return EntryBits.pageAddress(mfnOrInvalid(pfn)) | kernelPteFlags | (writable ? EntryBits.RW : 0);
    }

    private long directMapVa(long pfn) {
        return pageOffset + EntryBits.pageAddress(pfn);
    }

    private static long page(long gpa) {
        return gpa & ~EntryBits.PAGE_OFFSET_MASK;
    }
}
