package dev.mmutrace.replay.lguest;

import dev.mmutrace.replay.AccessRequest;
import dev.mmutrace.replay.GuestMemory;
import dev.mmutrace.replay.MemoryModel;
import dev.mmutrace.replay.observe.Exit;
import dev.mmutrace.replay.observe.Flush;
import dev.mmutrace.replay.observe.Hypercall;
import dev.mmutrace.replay.observe.IgnoredEvent;
import dev.mmutrace.replay.observe.Multicall;
import dev.mmutrace.replay.observe.ObservationSink;
import dev.mmutrace.replay.observe.Remark;
import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.AccessMode;
import dev.mmutrace.trace.EntryBits;
import dev.mmutrace.trace.EntryUpdate;
import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.LazyMmu;
import dev.mmutrace.trace.PageFault;
import dev.mmutrace.trace.PtepModifyProt;
import dev.mmutrace.trace.SetPte;
import dev.mmutrace.trace.SetPteAt;
import dev.mmutrace.trace.SetStack;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.WriteCr3;

/**
 * lguest shadow paging: the guest port of lguest's boot.c (which hypercall the guest makes for
 * each trace event, batched inside lazy_mmu windows) in front of the host's shadow tables
 * ({@link ShadowHost}).
 *
 * <p>The subtle thing is timing: the model sees an entry update before the engine stores it, but
 * the lguest guest stores first and makes the hypercall after, so the host is told the new value
 * ({@link ShadowHost#pending}) while the memory still holds the old one. The effects of a batched
 * hypercall are applied at its event; only the exit waits for the batch.
 */
final class LguestModel implements MemoryModel {
    static final String NAME = "lguest";
    private static final long ACCESSED_DIRTY = EntryBits.ACCESSED | EntryBits.DIRTY;

    private final TraceHeader header;
    private final GuestMemory memory;
    private final ObservationSink sink;
    private final ShadowHost host;
    private final boolean impliedAccesses;
    private final boolean[] lazy;
    private final int[] batched;
    /** The guest's cr3_changed: before its first write_cr3 a set_pte is a plain store. */
    private boolean cr3Changed;
    private boolean remarked;
    /** The event being replayed and its vCPU. */
    private long currentEvent;
    private int currentCpu;

    LguestModel(TraceHeader header, GuestMemory memory, ObservationSink sink, int slots, Eviction eviction,
            long seed, boolean cr3Changed) {
        this.header = header;
        this.memory = memory;
        this.sink = sink;
        this.host = new ShadowHost(header, memory, sink, slots, eviction, seed);
        this.impliedAccesses = header.accessMode() == AccessMode.IMPLIED;
        this.lazy = new boolean[header.vcpus()];
        this.batched = new int[header.vcpus()];
        this.cr3Changed = cr3Changed;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean stopped() {
        return host.killed();
    }

    @Override
    public void onEvent(long index, TraceEvent event) {
        begin(index, event.cpu());
        try {
            dispatch(event);
        } catch (GuestKilled dead) {
            // kill_guest: the failure is reported; the engine stops feeding this model.
        } finally {
            host.clearPending();
        }
    }

    @Override
    public void onAccess(long index, AccessRequest access) {
        begin(index, access.cpu());
        try {
            access(access.vaddr(), access.kind(), access.user());
        } catch (GuestKilled dead) {
            // reported by the host
        }
    }

    @Override
    public void onEnd(long events) {
        if (!remarked && paging().generalized()) {
            remark(0, 0);
        }
    }

    private Paging paging() {
        return host.paging();
    }

    private void begin(long index, int cpu) {
        currentEvent = index;
        currentCpu = cpu;
        host.at(index, cpu);
        if (!remarked && paging().generalized()) {
            remark(index, cpu);
        }
    }

    private void remark(long index, int cpu) {
        remarked = true;
        sink.observe(new Remark(index, cpu, "generalized", "lguest's host shadows 2-level tables; this "
                + header.pagingMode().wireName() + " trace is shadowed at every level the same way "
                + "(a set at a non-leaf level releases the shadow subtree below that slot)"));
    }

    private void dispatch(TraceEvent event) {
        switch (event.type()) {
            case SET_PTE_AT -> {
                SetPteAt e = (SetPteAt) event;
                host.pending(e.entryGpa(), e.value());
                hypercall("LHCALL_SET_PTE");
                host.setPte(e.mm(), e.vaddr(), e.value(), false);
            }
            case PTEP_MODIFY_PROT -> {
                // Linux's default commit is set_pte_at, and the entry keeps the A and D it had.
                PtepModifyProt e = (PtepModifyProt) event;
                long value = e.value() | (memory.read(e.entryGpa()) & ACCESSED_DIRTY);
                host.pending(e.entryGpa(), value);
                hypercall("LHCALL_SET_PTE");
                host.setPte(e.mm(), e.vaddr(), value, false);
            }
            case SET_PTE -> {
                SetPte e = (SetPte) event;
                if (!cr3Changed) {
                    ignored("set_pte before the first cr3 switch: a plain store, no hypercall");
                } else {
                    host.pending(e.entryGpa(), e.value());
                    hypercall("LHCALL_FLUSH_TLB");
                    host.clearAll(Flush.Origin.MODEL_GENERATED);
                }
            }
            case SET_PMD, SET_PUD, SET_PGD -> setNonLeaf(EntryUpdate.of(event));
            case WRITE_CR3 -> {
                WriteCr3 e = (WriteCr3) event;
                if (e.root() == WriteCr3.Root.USER) {
                    ignored("write_cr3 of a user root: lguest keeps one cr3");
                } else {
                    cr3Changed = true;
                    hypercall("LHCALL_NEW_PGTABLE");
                    host.newPagetable(e.pgd());
                }
            }
            case PAGE_FAULT -> pageFault((PageFault) event);
            case PIN, UNPIN, ALLOC_PT, RELEASE_PT -> ignored(event.type().wireName());
            case FLUSH_TLB -> flush((FlushTlb) event);
            case LAZY_MMU -> lazyMmu((LazyMmu) event);
            case SET_STACK -> {
                SetStack e = (SetStack) event;
                hypercall("LHCALL_SET_STACK");
                host.setStack(e.vaddr(), e.pages());
            }
            case ACCESS -> {
                Access a = (Access) event;
                access(a.vaddr(), a.kind(), a.user());
            }
            case GAP -> gap(event.cpu());
            default -> throw new IllegalStateException("unhandled event type " + event.type());
        }
    }

    /**
     * LHCALL_SET_PMD for a pmd; a pud or pgd is LHCALL_SET_PGD, as the PAE port does. The
     * kernel-table slot only: the user-table slot an x86-64 PV set_pgd mirrors belongs to the
     * second top table lguest does not have (its user-root write_cr3 is ignored too).
     */
    private void setNonLeaf(EntryUpdate e) {
        host.pending(e.entryGpa(), e.value());
        hypercall(e.level() == 2 ? "LHCALL_SET_PMD" : "LHCALL_SET_PGD");
        host.setNonLeaf(e.entryGpa());
    }

    /**
     * With implied accesses a page fault stands for an access that failed natively; on lguest the
     * host takes it first, so it goes through the shadow like any access (a hidden fault when the
     * guest's tables allow it, reflected otherwise). With explicit accesses the access event
     * already did that, and the fault is only the guest's claim.
     */
    private void pageFault(PageFault e) {
        if (!impliedAccesses) {
            ignored("page_fault with explicit accesses: the access event took the fault");
            return;
        }
        if (host.access(e.vaddr(), e.write(), e.user(), e.fetch()) == ShadowHost.Outcome.PERMITTED) {
            ignored("page_fault where the shadow maps the access: no fault under lguest");
        }
    }

    private void access(long vaddr, Access.Kind kind, boolean user) {
        host.access(vaddr, kind == Access.Kind.WRITE, user, kind == Access.Kind.FETCH);
    }

    /**
     * lguest_flush_tlb_user, _kernel and _single. A multi flush (lguest guests were uniprocessor,
     * so boot.c has none) is taken as the caller's FLUSH_TLB(0).
     */
    private void flush(FlushTlb e) {
        switch (e.scope()) {
            case USER, MULTI -> {
                hypercall("LHCALL_FLUSH_TLB");
                host.flushUser(Flush.Origin.GUEST_REQUESTED);
            }
            case ALL -> {
                hypercall("LHCALL_FLUSH_TLB");
                host.clearAll(Flush.Origin.GUEST_REQUESTED);
            }
            case ONE -> {
                hypercall("LHCALL_SET_PTE");
                host.setPte(host.currentCr3(), e.vaddr(), 0, true);
            }
            default -> throw new IllegalStateException("unhandled flush scope " + e.scope());
        }
    }

    /**
     * The tracer lost events of {@code cpu}: a lazy window open before them was left among them,
     * with its LHCALL_FLUSH_ASYNC exit, which is counted here; the host forgets the vCPU's cr3.
     */
    private void gap(int cpu) {
        if (lazy[cpu]) {
            lazy[cpu] = false;
            sink.observe(new Multicall(currentEvent, cpu, batched[cpu]));
            sink.observe(new Exit(currentEvent, cpu, "hypercall"));
        }
        host.gap();
    }

    /** lguest_leave_lazy_mode always ends with LHCALL_FLUSH_ASYNC: one exit for the batch, empty or not. */
    private void lazyMmu(LazyMmu e) {
        int cpu = e.cpu();
        if (e.phase() == LazyMmu.Phase.ENTER) {
            if (lazy[cpu]) {
                ignored("lazy_mmu enter inside a lazy window");
            } else {
                lazy[cpu] = true;
                batched[cpu] = 0;
            }
        } else if (!lazy[cpu]) {
            ignored("lazy_mmu leave outside a lazy window");
        } else {
            lazy[cpu] = false;
            sink.observe(new Multicall(currentEvent, cpu, batched[cpu]));
            sink.observe(new Exit(currentEvent, cpu, "hypercall"));
        }
    }

    /** One call: inside a lazy window it joins the batch, otherwise it is its own exit. */
    private void hypercall(String name) {
        boolean inBatch = lazy[currentCpu];
        if (inBatch) {
            batched[currentCpu]++;
        }
        sink.observe(new Hypercall(currentEvent, currentCpu, name, 1, inBatch));
        if (!inBatch) {
            sink.observe(new Exit(currentEvent, currentCpu, "hypercall"));
        }
    }

    private void ignored(String what) {
        sink.observe(new IgnoredEvent(currentEvent, currentCpu, what));
    }
}
