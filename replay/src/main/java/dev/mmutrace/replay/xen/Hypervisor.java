package dev.mmutrace.replay.xen;

import dev.mmutrace.replay.observe.Exit;
import dev.mmutrace.replay.observe.Fault;
import dev.mmutrace.replay.observe.Flush;
import dev.mmutrace.replay.observe.Hypercall;
import dev.mmutrace.replay.observe.Multicall;
import dev.mmutrace.replay.observe.ObservationSink;
import dev.mmutrace.replay.observe.PinChange;
import dev.mmutrace.replay.observe.PtwrEmulation;
import dev.mmutrace.replay.observe.Remark;
import dev.mmutrace.replay.observe.ValidationFailure;
import dev.mmutrace.replay.mmu.TlbSet;
import dev.mmutrace.replay.mmu.Walk;
import dev.mmutrace.trace.EntryBits;
import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.PagingMode;
import java.util.Arrays;

/**
 * Xen 3.4 as the PV guest meets it: the hypercalls the Linux port issues (update_va_mapping,
 * mmu_update, mmuext_op, multicall), the ptwr trap that emulates a store into a read-only L1,
 * and the #PF it bounces to the guest. Per vCPU it keeps the loaded kernel and user roots
 * ({@code guest_table}, {@code guest_table_user}), each holding a type reference on its table.
 *
 * <p>Exits: only a #PF that Xen takes and bounces to the guest is an {@code Exit}
 * ({@code fault_bounce}). A PV hypercall is a ring transition counted by its {@code Hypercall} or
 * {@code Multicall}, and a ptwr trap by its {@code PtwrEmulation}, whose costs already include
 * the trap; an exit as well would count it twice.
 *
 * <p>Xen reads and writes only its own machine view of the tables; a refused update never
 * reaches it. Inside mmu_update the batch stops at the first refused update; inside a
 * multicall every entry runs, failed or not (multicall.c).
 */
final class Hypervisor {
    static final int UVMF_TLB_FLUSH = 1;
    static final int UVMF_INVLPG = 2;
    static final int UVMF_ALL = 4;
    static final long MMU_PT_UPDATE_PRESERVE_AD = 2;

    static final String GUEST_BUG_MULTICALL = "the 2.6.2x guest would BUG_ON(ret) in xen_mc_flush here";
    static final String GUEST_BUG_HYPERCALL = "the 2.6.2x guest would BUG() on the hypercall's error here";
    static final String GUEST_OOPS = "the #PF is bounced to the 2.6.2x guest, which oopses here";
    /** The remark on a report with refusals: the era's guest would not have survived them. */
    static final String GUEST_BUG_ON = "guest_bug_on";

    private final EntryRules rules;
    private final PhysMap phys;
    private final TlbSet tlbs;
    private final FrameTable frames;
    private final MachineMemory memory;
    private final PageTypes types;
    private final TlbClock clock;
    private final Flushes flushes;
    private final ObservationSink sink;
    private final Cause cause;
    private final long pageOffset;
    private final long directMapBytes;
    private final int[] guestTable;
    /** init_mm's top table (its pfn), where kernel mappings are looked up when no root is loaded; -1 if unknown. */
    private final int initTop;
    private final int[] guestTableUser;
    /** The event of the first refusal, which the 2.6.2x guest would not have run past; -1 before it. */
    private long firstFailure = -1;

    Hypervisor(EntryRules rules, PhysMap phys, FrameTable frames, TlbSet tlbs, long pageOffset,
            long directMapFrames, int vcpus, long initMmPfn, ObservationSink sink, boolean allowHugepage) {
        this.rules = rules;
        this.phys = phys;
        this.frames = frames;
        this.tlbs = tlbs;
        this.memory = new MachineMemory(rules.entries(1), this::hardwareChanging);
        this.clock = new TlbClock(vcpus);
        this.cause = new Cause();
        this.sink = sink;
        this.flushes = new Flushes(clock, sink, cause, tlbs, rules.mode() == PagingMode.FOUR_LEVEL);
        this.types = new PageTypes(frames, memory, rules, phys, clock, flushes, sink, cause, allowHugepage);
        this.pageOffset = pageOffset;
        this.directMapBytes = EntryBits.pageAddress(directMapFrames);
        this.guestTable = new int[vcpus];
        this.guestTableUser = new int[vcpus];
        this.initTop = (int) initMmPfn;
        Arrays.fill(guestTable, -1);
        Arrays.fill(guestTableUser, -1);
    }

    /** The gpa of the kernel root vCPU {@code cpu}'s hardware walks from (Xen's guest_table), or {@link Walk#NO_CR3}. */
    long rootGpa(int cpu) {
        return guestTable[cpu] >= 0 ? EntryBits.pageAddress(guestTable[cpu]) : Walk.NO_CR3;
    }

    /**
     * An entry of Xen's view (the tables the hardware walks) is about to change: the TLBs learn
     * it in the guest's terms (pfn-based, slot named by gpa) since they cache walks of the
     * guest's tables. A refused update never gets here, so it never makes anything stale.
     */
    private void hardwareChanging(int pfn, int index, long oldEntry, long newEntry) {
        tlbs.onEntryChange(rules.mode().slotGpa(EntryBits.pageAddress(pfn), index), guestView(oldEntry),
                guestView(newEntry));
    }

    /** A machine entry with its mfn turned back into the domain's pfn (pfn_limit for a frame it does not own). */
    private long guestView(long machineEntry) {
        if (!EntryBits.present(machineEntry)) {
            return machineEntry;
        }
        long pfn = phys.pfn(EntryRules.mfn(machineEntry));
        if (pfn < 0) {
            pfn = phys.pfnLimit();
        }
        return (machineEntry & ~EntryRules.MACHINE_FRAME_MASK) | EntryBits.pageAddress(pfn);
    }

    /** vCPU {@code cpu} runs: its pCPU joins the domain's dirty set. */
    void running(int cpu) {
        clock.running(cpu);
    }

    // ---- What the guest does -------------------------------------------------------------

    /** HYPERVISOR_multicall of the buffer's entries; every entry runs and each failure is the guest's BUG. */
    void multicall(long event, int cpu, McBuffer b) {
        int n = b.entries;
        if (n == 0) {
            return;
        }
        sink.observe(new Multicall(event, cpu, n));
        for (int i = 0; i < n; i++) {
            cause.set(b.event[i], cpu);
            switch (b.op[i]) {
                case UPDATE_VA_MAPPING -> {
                    sink.observe(new Hypercall(b.event[i], cpu, "update_va_mapping", 1, true));
                    Refusal r = doUpdateVaMapping(cpu, b.arg1[i], b.arg2[i], b.arg3[i]);
                    if (r.refused()) {
                        report(r, GUEST_BUG_MULTICALL);
                    }
                }
                case MMUEXT_OP -> {
                    sink.observe(new Hypercall(b.event[i], cpu, b.cmd[i].hypercallName(), 1, true));
                    Refusal r = doMmuext(cpu, b.cmd[i], b.arg1[i], b.arg2[i], b.flushKind[i]);
                    if (r.refused()) {
                        report(r, GUEST_BUG_MULTICALL);
                    }
                }
                case MMU_UPDATE -> {
                    sink.observe(new Hypercall(b.event[i], cpu, "mmu_update", b.updates[i], true));
                    int first = b.firstUpdate[i];
                    int end = first + b.updates[i];
                    for (int u = first; u < end; u++) {
                        cause.set(b.updateEvent[u], cpu);
                        Refusal r = doMmuUpdate(b.updatePtr[u], b.updateVal[u]);
                        if (r.refused()) {
                            int left = end - u - 1;
                            report(r, left == 0 ? GUEST_BUG_MULTICALL : String.format(
                                    "mmu_update stopped here, %d later update(s) of the batch not done; %s",
                                    left, GUEST_BUG_MULTICALL));
                            break;
                        }
                    }
                }
            }
        }
        b.clear();
    }

    /** A direct HYPERVISOR_update_va_mapping and Xen's refusal, if any (the caller decides what the guest does). */
    Refusal updateVaMapping(long event, int cpu, long vaddr, long machineEntry, int flags) {
        cause.set(event, cpu);
        sink.observe(new Hypercall(event, cpu, "update_va_mapping", 1, false));
        return doUpdateVaMapping(cpu, vaddr, machineEntry, flags);
    }

    /** A direct HYPERVISOR_mmuext_op with one op, and Xen's refusal, if any. */
    Refusal mmuext(long event, int cpu, Mmuext cmd, long mfn) {
        cause.set(event, cpu);
        sink.observe(new Hypercall(event, cpu, cmd.hypercallName(), 1, false));
        return doMmuext(cpu, cmd, mfn, 0, FlushTlb.Scope.ALL);
    }

    /**
     * A plain guest store of {@code machineEntry} into the slot at {@code slotGpa} (machine frame
     * {@code slotMfn}). Through a read-write mapping it just happens (Xen checks nothing); through the
     * read-only mapping of a validated L1 it traps and Xen emulates it as a checked update (ptwr);
     * any other read-only page gets the #PF bounced back to the guest.
     */
    void store(long event, int cpu, long slotMfn, long slotGpa, long machineEntry) {
        cause.set(event, cpu);
        int f = types.owned(slotMfn);
        if (f < 0) {
            report(Refusal.of(Reason.NOT_OWNED, String.format(
                    "store to gpa %x: pfn %x has no machine frame of the domain", slotGpa, EntryBits.pageNumber(slotGpa))), GUEST_OOPS);
            return;
        }
        int index = rules.mode().slotIndex(slotGpa);
        int type = frames.type(f);
        boolean pageTable = frames.inUseAsPageTable(f);
        boolean mappedRw = type == FrameTable.WRITABLE && frames.count(f) > 0;
        if (!pageTable && (mappedRw || frames.highmem(f))) {
            memory.write(f, index, machineEntry);
            return;
        }
        if (type == FrameTable.L1 && pageTable && frames.validated(f)) {
            Refusal r = types.modEntry(f, 1, index, machineEntry, false);
            if (!r.refused()) {
                sink.observe(new PtwrEmulation(event, cpu, types.mfnOf(f)));
                return;
            }
            sink.observe(new Exit(event, cpu, "fault_bounce"));
            report(r.prefixed("ptwr_emulate: could not get_page_from_l1e()"), GUEST_OOPS);
            return;
        }
        sink.observe(new Exit(event, cpu, "fault_bounce"));
        // concatenated, not String.format: in a trace that keeps failing this runs per event
        report(Refusal.of(Reason.RO_STORE_NOT_L1, "write to read-only mfn " + Long.toHexString(types.mfnOf(f))
                + " (type " + FrameTable.typeName(type) + ", count " + frames.count(f)
                + "): ptwr emulates stores into validated L1s only"), GUEST_OOPS);
    }

    /** The machine entry Xen holds at slot {@code index} of frame {@code mfn} (for PAE half-word stores). */
    long machineEntry(long mfn, int index) {
        int f = types.owned(mfn);
        return f < 0 ? 0 : memory.read(f, index);
    }

    /** A guest #PF: Xen takes it first and bounces it to the guest's handler. */
    void guestFault(long event, int cpu, long vaddr, int errorCode) {
        bounce(event, cpu, Fault.Kind.GUEST, vaddr, errorCode);
    }

    void bounce(long event, int cpu, Fault.Kind kind, long vaddr, int errorCode) {
        sink.observe(new Exit(event, cpu, "fault_bounce"));
        sink.observe(new Fault(event, cpu, kind, vaddr, errorCode));
    }

    /**
     * Xen's refusal {@code r}, as the guest meets it ({@code guestNote}), and the remark that the
     * era's guest would have stopped at the first one (SPEC §7): a remark per refusal, so the
     * report counts them all under the first one's event.
     */
    void report(Refusal r, String guestNote) {
        sink.observe(new ValidationFailure(cause.event, cause.cpu, r.reason().code(), r.message() + "; " + guestNote,
                false));
        if (firstFailure < 0) {
            firstFailure = cause.event;
        }
        sink.observe(new Remark(cause.event, cause.cpu, GUEST_BUG_ON, "a 2.6.2x guest would not have run past event "
                + firstFailure + ": each failure's message says how it stops there (BUG() on a failed hypercall,"
                + " an oops on a bounced page fault); the replay did not apply the rejected updates and went on"));
    }

    // ---- Xen's handlers --------------------------------------------------------------------

    /** do_update_va_mapping: a checked L1 update found through the current tables, then the flush asked for. */
    private Refusal doUpdateVaMapping(int cpu, long vaddr, long value, int flags) {
        Refusal ok;
        boolean directMap = Long.compareUnsigned(vaddr - pageOffset, directMapBytes) < 0;
        int l1 = l1For(guestTable[cpu], vaddr);
        if (l1 < 0 && directMap) {
            l1 = l1For(initTop, vaddr);
        }
        if (l1 >= 0 && directMap) {
            // The trace carries this direct-map entry itself: it, not the implicit one, holds
            // the frame's mapping from now on.
            dropImplicitDirectMap(EntryRules.mfn(value));
        }
        if (l1 >= 0) {
            if (frames.type(l1) == FrameTable.L1 && frames.count(l1) > 0 && frames.validated(l1)) {
                ok = types.modEntry(l1, 1, rules.index(1, vaddr), value, false);
            } else if (directMap && !frames.inUseAsPageTable(l1)) {
                // A boot-time kernel L1 the trace built before pinning init_mm, not in use as a
                // page table yet: its entries hold no references, the write is unchecked.
                memory.write(l1, rules.index(1, vaddr), value);
                ok = Refusal.NONE;
            } else {
                ok = Refusal.of(Reason.UVM_NO_L1, String.format(
                        "update_va_mapping va %x: its L1 mfn %x is not a validated L1 (type %s, count %d)",
                        vaddr, types.mfnOf(l1), FrameTable.typeName(frames.type(l1)), frames.count(l1)));
            }
        } else if (directMap) {
            ok = updateDirectMap(value);
        } else {
            ok = Refusal.of(Reason.UVM_NO_L1, String.format(
                    "update_va_mapping va %x: no present, non-PSE L2 entry maps it in the current tables", vaddr));
        }
        uvmFlush(cpu, vaddr, flags);
        return ok;
    }

    /**
     * The kernel direct-map entry of a frame: the guest makes it read-only before a page becomes
     * a page table and read-write after. Its L1s are boot-time tables no trace holds, so Xen's
     * side is the frame's writable reference alone.
     */
    private Refusal updateDirectMap(long value) {
        long mfn = EntryRules.mfn(value);
        int f = types.owned(mfn);
        if (f < 0) {
            return Refusal.of(Reason.NOT_OWNED, String.format(
                    "Non-privileged attempt to map I/O space %08x (mfn not owned by the domain)", mfn));
        }
        boolean rw = (value & EntryBits.RW) != 0;
        if (rw && !frames.directMapRw(f)) {
            Refusal r = types.takeType(f, FrameTable.WRITABLE);
            if (r.refused()) {
                return r.prefixed("Error getting mfn " + Long.toHexString(mfn) + " (pfn " + Integer.toHexString(f)
                        + ") from L1 entry " + Long.toHexString(value));
            }
            frames.setDirectMapRw(f, true);
        } else if (!rw && frames.directMapRw(f)) {
            frames.setDirectMapRw(f, false);
            types.dropType(f);
        }
        return Refusal.NONE;
    }

    private void uvmFlush(int cpu, long vaddr, int flags) {
        long mask = (flags & UVMF_ALL) != 0 ? clock.dirty() : 1L << cpu;
        switch (flags & 3) {
            case UVMF_TLB_FLUSH -> flushes.full("uvmf_tlb_flush", Flush.Origin.MODEL_GENERATED, mask);
            case UVMF_INVLPG -> flushes.page("uvmf_invlpg", Flush.Origin.MODEL_GENERATED, mask, vaddr);
            default -> {
            }
        }
    }

    private void dropImplicitDirectMap(long mfn) {
        int f = types.owned(mfn);
        if (f >= 0 && frames.directMapRw(f)) {
            frames.setDirectMapRw(f, false);
            types.dropType(f);
        }
    }

    /** guest_map_l1e: the L1 frame mapping {@code vaddr} through the root at pfn {@code top} (-1: none), or -1. */
    private int l1For(int top, long vaddr) {
        int f = top;
        for (int level = rules.topLevel(); level >= 2 && f >= 0; level--) {
            long e = memory.read(f, rules.index(level, vaddr));
            if (!EntryBits.present(e) || (level == 2 && (e & EntryBits.PSE) != 0)) {
                return -1;
            }
            f = types.owned(EntryRules.mfn(e));
        }
        return f;
    }

    /** One MMU_NORMAL_PT_UPDATE / MMU_PT_UPDATE_PRESERVE_AD: checked only when the page is an in-use page table. */
    private Refusal doMmuUpdate(long ptr, long value) {
        boolean preserveAd = (ptr & 3) == MMU_PT_UPDATE_PRESERVE_AD;
        long mfn = EntryBits.pageNumber(ptr);
        int f = types.owned(mfn);
        if (f < 0) {
            return Refusal.of(Reason.NOT_OWNED, String.format("Could not get page for normal update (mfn %x)", mfn));
        }
        int index = rules.mode().slotIndex(ptr);
        int type = frames.type(f);
        int count = frames.count(f);
        if (frames.inUseAsPageTable(f)) {
            if (!frames.validated(f)) {
                return Refusal.of(Reason.VALIDATION_IN_PROGRESS, String.format(
                        "mmu_update into mfn %x while it is being validated", mfn));
            }
            return types.modEntry(f, type, index, value, preserveAd);
        }
        if (type == FrameTable.WRITABLE && count > 0) {
            memory.write(f, index, value);
            return Refusal.NONE;
        }
        Refusal taken = types.takeType(f, FrameTable.WRITABLE);
        if (taken.refused()) {
            return taken;
        }
        memory.write(f, index, value);
        types.dropType(f);
        return Refusal.NONE;
    }

    /** do_mmuext_op with one op. {@code kind} is the guest's flush_tlb scope, for the flush ops. */
    private Refusal doMmuext(int cpu, Mmuext cmd, long arg1, long arg2, FlushTlb.Scope kind) {
        return switch (cmd) {
            case PIN_L1_TABLE, PIN_L2_TABLE, PIN_L3_TABLE, PIN_L4_TABLE -> pin(arg1, cmd.pinLevel());
            case UNPIN_TABLE -> unpin(arg1);
            case NEW_BASEPTR -> newBaseptr(cpu, arg1);
            case NEW_USER_BASEPTR -> newUserBaseptr(cpu, arg1);
            case TLB_FLUSH_LOCAL -> {
                flushes.full(kind.wireName(), Flush.Origin.GUEST_REQUESTED, 1L << cpu);
                yield Refusal.NONE;
            }
            case INVLPG_LOCAL -> {
                flushes.page(kind.wireName(), Flush.Origin.GUEST_REQUESTED, 1L << cpu, arg1);
                yield Refusal.NONE;
            }
            case TLB_FLUSH_MULTI -> {
                flushes.full(kind.wireName(), Flush.Origin.GUEST_REQUESTED, arg2 & clock.dirty());
                yield Refusal.NONE;
            }
            case INVLPG_MULTI -> {
                flushes.page(kind.wireName(), Flush.Origin.GUEST_REQUESTED, arg2 & clock.dirty(), arg1);
                yield Refusal.NONE;
            }
        };
    }

    private Refusal pin(long mfn, int level) {
        if (level > rules.topLevel()) {
            return Refusal.NONE;
        }
        int f = types.owned(mfn);
        if (f < 0) {
            return Refusal.of(Reason.NOT_OWNED, String.format("Error while pinning mfn %x: not owned by the domain", mfn));
        }
        Refusal taken = types.takeType(f, level);
        if (taken.refused()) {
            return taken.prefixed(String.format("Error while pinning mfn %x", mfn));
        }
        if (frames.pinned(f)) {
            types.dropType(f);
            return Refusal.of(Reason.ALREADY_PINNED, String.format("Mfn %x already pinned", mfn));
        }
        frames.setPinned(f, true);
        sink.observe(new PinChange(cause.event, cause.cpu, mfn, level, true));
        return Refusal.NONE;
    }

    private Refusal unpin(long mfn) {
        int f = types.owned(mfn);
        if (f < 0) {
            return Refusal.of(Reason.NOT_OWNED, String.format("Mfn %x bad domain", mfn));
        }
        if (!frames.pinned(f)) {
            return Refusal.of(Reason.NOT_PINNED, String.format("Mfn %x not pinned", mfn));
        }
        frames.setPinned(f, false);
        int level = frames.type(f);
        types.dropType(f);
        sink.observe(new PinChange(cause.event, cause.cpu, mfn, level, false));
        return Refusal.NONE;
    }

    /** new_guest_cr3: a root type reference on the new table (validating it if needed), a full local flush, the old root's reference dropped. */
    private Refusal newBaseptr(int cpu, long mfn) {
        int f = types.owned(mfn);
        if (f < 0) {
            return Refusal.of(Reason.NOT_OWNED, String.format(
                    "Error while installing new baseptr %x: not owned by the domain", mfn));
        }
        Refusal taken = types.takeType(f, rules.topLevel());
        if (taken.refused()) {
            return taken.prefixed(String.format("Error while installing new baseptr %x", mfn));
        }
        int old = guestTable[cpu];
        guestTable[cpu] = f;
        flushes.full("new_baseptr", Flush.Origin.MODEL_GENERATED, 1L << cpu);
        if (old >= 0) {
            types.dropType(old);
        }
        return Refusal.NONE;
    }

    /** MMUEXT_NEW_USER_BASEPTR: like the kernel root without the flush; mfn 0 means no user root. */
    private Refusal newUserBaseptr(int cpu, long mfn) {
        int f = -1;
        if (mfn != 0) {
            f = types.owned(mfn);
            if (f < 0) {
                return Refusal.of(Reason.NOT_OWNED, String.format(
                        "Error while installing new mfn %x: not owned by the domain", mfn));
            }
            Refusal taken = types.takeType(f, rules.topLevel());
            if (taken.refused()) {
                return taken.prefixed(String.format("Error while installing new mfn %x", mfn));
            }
        }
        int old = guestTableUser[cpu];
        guestTableUser[cpu] = f;
        if (old >= 0) {
            types.dropType(old);
        }
        return Refusal.NONE;
    }
}
