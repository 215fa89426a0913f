package dev.mmutrace.replay.lguest;

import static dev.mmutrace.replay.lguest.Paging.ALL_RIGHTS;
import static dev.mmutrace.replay.lguest.Paging.present;
import static dev.mmutrace.trace.EntryBits.ACCESSED;
import static dev.mmutrace.trace.EntryBits.DIRTY;
import static dev.mmutrace.trace.EntryBits.GLOBAL;
import static dev.mmutrace.trace.EntryBits.NX;
import static dev.mmutrace.trace.EntryBits.PAGE_SHIFT;
import static dev.mmutrace.trace.EntryBits.PAGE_SIZE;
import static dev.mmutrace.trace.EntryBits.PAGE_TABLE;
import static dev.mmutrace.trace.EntryBits.PSE;
import static dev.mmutrace.trace.EntryBits.PWT;
import static dev.mmutrace.trace.EntryBits.RW;
import static dev.mmutrace.trace.EntryBits.USER;

import dev.mmutrace.replay.GuestMemory;
import dev.mmutrace.replay.mmu.Walk;
import dev.mmutrace.replay.observe.Exit;
import dev.mmutrace.replay.observe.Fault;
import dev.mmutrace.replay.observe.Flush;
import dev.mmutrace.replay.observe.GapUncertainty;
import dev.mmutrace.replay.observe.IgnoredEvent;
import dev.mmutrace.replay.observe.ObservationSink;
import dev.mmutrace.replay.observe.PgdirEviction;
import dev.mmutrace.replay.observe.PgdirSwitch;
import dev.mmutrace.replay.observe.ShadowClearAll;
import dev.mmutrace.replay.observe.ShadowDiscard;
import dev.mmutrace.replay.observe.ShadowFill;
import dev.mmutrace.replay.observe.ShadowPage;
import dev.mmutrace.replay.observe.StackRepin;
import dev.mmutrace.replay.observe.UnknownStateWalk;
import dev.mmutrace.replay.observe.ValidationFailure;
import dev.mmutrace.trace.PageFault;
import dev.mmutrace.trace.TraceHeader;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * The lguest host's side of shadow paging, function by function as in the seed
 * (lguest page_tables.c): the pgdirs cache with find_pgdir/new_pgdir, demand_page, do_set_pte
 * and guest_set_pte, guest_set_pmd, flush_user_mappings, the clear-all, pin_stack_pages, and
 * kill_guest. It reads the guest's tables from the shared {@link GuestMemory} and writes back
 * only the A and D bits demand_page sets.
 *
 * <p>The subtle thing: the seed's shadow is lazy and throws entries away eagerly, so every figure
 * here is about work done twice. Each discarded shadow entry is compared with the guest's own
 * translation at that moment (the update being replayed included): still valid means the host
 * threw away good work; stale means the throw-away was needed.
 */
final class ShadowHost {
    /** What became of an access through the shadow. */
    enum Outcome {
        /** The shadow let it through: no exit. */
        PERMITTED,
        /** demand_page fixed the miss from the guest's tables: an exit the guest never sees. */
        HIDDEN,
        /** The guest's own tables forbid it: the fault goes to the guest. */
        REFLECTED
    }

    private static final int NO_FAULT = -1;
    private static final long NONE = -1;

    private final Paging paging;
    private final GuestMemory memory;
    private final ObservationSink sink;
    private final long pfnLimit;
    private final long kernelAddress;
    private final int kernelTopIndex;
    private final boolean nxe;
    private final int vcpus;
    private final PgdirCache pgdirs;
    private final ShadowPages pages;
    private final int[] cpuPgd;
    private final long[] cpuCr3;
    private final long[] stackTop;
    private final int[] stackPages;
    private final Discards discards = new Discards();
    private final Tally tally = new Tally();
    private final ArrayList<ShadowTable> scratch = new ArrayList<>();
    private final Descent descent = new Descent();
    private final GuestPath guest = new GuestPath();
    private boolean killed;
    /** Per vCPU: a gap left its cr3 unknown, until its next LHCALL_NEW_PGTABLE. */
    private final boolean[] cr3SinceGap;
    /**
     * A gap has happened and no clear-all has thrown every shadow away since: what lost hypercalls
     * did to the shadows is unknown, so every flush's classification is uncertain.
     */
    private boolean shadowsSinceGap;
    /** The access being replayed read a guest entry written before a gap. */
    private boolean readBeforeGap;
    /** A guest #PF has trapped into the host and demand_page is running for it. */
    private boolean trapped;

    /** The event being replayed and its vCPU: every observation carries them. */
    private long event;
    private int cpu;
    /** The guest's update being replayed, not yet in guest memory. */
    private long pendingGpa = NONE;
    private long pendingValue;

    ShadowHost(TraceHeader header, GuestMemory memory, ObservationSink sink, int slots, Eviction eviction,
            long seed) {
        this.paging = new Paging(header.pagingMode());
        this.memory = memory;
        this.sink = sink;
        this.pfnLimit = header.pfnLimit();
        this.kernelAddress = header.pageOffset();
        this.kernelTopIndex = paging.index(paging.top, kernelAddress);
        this.nxe = header.cpuFeatures().nxe() && paging.generalized();
        this.vcpus = header.vcpus();
        this.pgdirs = new PgdirCache(slots, eviction, seed);
        this.pages = new ShadowPages(paging);
        this.cpuPgd = new int[vcpus];
        this.cpuCr3 = new long[vcpus];
        this.cr3SinceGap = new boolean[vcpus];
        this.stackTop = new long[vcpus];
        this.stackPages = new int[vcpus];
        Arrays.fill(cpuPgd, -1);
        Arrays.fill(cpuCr3, NONE);
        if (header.hasInitMmPgd()) {
            // init_guest_pagetable: slot 0 shadows the Launcher's first top table, every vCPU on it.
            Pgdir first = pgdirs.slot(0);
            first.gpgdir = header.initMmPgd();
            first.top = pages.top(first);
            Arrays.fill(cpuPgd, 0);
            Arrays.fill(cpuCr3, header.initMmPgd());
        }
    }

    Paging paging() {
        return paging;
    }

    boolean killed() {
        return killed;
    }

    void at(long eventIndex, int vcpu) {
        this.event = eventIndex;
        this.cpu = vcpu;
    }

    /** The guest's store being replayed: the host must see its new value, the memory still holds the old. */
    void pending(long gpa, long value) {
        pendingGpa = gpa;
        pendingValue = value;
    }

    void clearPending() {
        pendingGpa = NONE;
    }

    /** The guest cr3 this vCPU runs on, or -1 before the first is known. */
    long currentCr3() {
        return cpuCr3[cpu];
    }

    // ---------------------------------------------------------------- (iv) switching page tables

    /**
     * The tracer lost events of this vCPU: the cr3 it runs on is unknown until its next
     * LHCALL_NEW_PGTABLE (its accesses meanwhile are unknown-state walks), and the shadows may
     * differ from what the replay holds until a clear-all throws them all away.
     */
    void gap() {
        cpuCr3[cpu] = NONE;
        cpuPgd[cpu] = -1;
        cr3SinceGap[cpu] = true;
        shadowsSinceGap = true;
    }

    /** guest_new_pagetable: find the shadow for {@code cr3}, or take a slot for it (new_pgdir). */
    void newPagetable(long cr3) {
        cpuCr3[cpu] = cr3;
        cr3SinceGap[cpu] = false;
        Pgdir dir = pgdirs.find(cr3);
        boolean repin = false;
        if (dir != null) {
            sink.observe(new PgdirSwitch(event, cpu, cr3, true, false));
        } else {
            boolean evictedBefore = pgdirs.reloading(cr3);
            sink.observe(new PgdirSwitch(event, cpu, cr3, false, evictedBefore));
            dir = pgdirs.victim();
            if (!dir.allocated()) {
                // Never used: a blank page with no kernel mappings, so the stack must be mapped again.
                dir.top = pages.top(dir);
                repin = true;
            } else {
                sink.observe(new PgdirEviction(event, cpu, dir.gpgdir));
                pgdirs.evicted(dir.gpgdir);
                // flush_user_mappings on the old user half, judged against the cr3 it shadowed.
                tally.reset();
                flushUserMappings(dir);
                report("shadow_new_pgdir", Flush.Origin.MODEL_GENERATED, true, true, 1);
            }
            dir.gpgdir = cr3;
        }
        cpuPgd[cpu] = dir.slot;
        pgdirs.switchedTo(dir);
        if (repin) {
            pinStackPages(true);
        }
    }

    /**
     * The vCPU's current pgdir. lguest guests were uniprocessor: with several vCPUs another one may
     * have taken this vCPU's slot for its own cr3, and then this vCPU finds its cr3 again.
     */
    private Pgdir current() {
        int slot = cpuPgd[cpu];
        if (slot < 0) {
            return null;
        }
        if (pgdirs.slot(slot).gpgdir != cpuCr3[cpu]) {
            newPagetable(cpuCr3[cpu]);
            slot = cpuPgd[cpu];
        }
        return pgdirs.slot(slot);
    }

    // ---------------------------------------------------------------- (i) demand_page

    /** An access through the shadow, and what became of it. */
    Outcome access(long vaddr, boolean write, boolean user, boolean fetch) {
        Pgdir dir = current();
        if (dir == null) {
            if (cr3SinceGap[cpu]) {
                sink.observe(new UnknownStateWalk(event, cpu, vaddr, Walk.NO_CR3));
            } else {
                sink.observe(new IgnoredEvent(event, cpu, "access before the guest's first cr3 is known"));
            }
            return Outcome.PERMITTED;
        }
        readBeforeGap = false;
        try {
            return accessThrough(dir, vaddr, write, user, fetch);
        } finally {
            if (readBeforeGap) {
                sink.observe(new GapUncertainty(event, cpu, GapUncertainty.Kind.ENTRY_BEFORE_GAP));
            }
        }
    }

    private Outcome accessThrough(Pgdir dir, long vaddr, boolean write, boolean user, boolean fetch) {
        int code = shadowFault(dir, vaddr, write, user, fetch);
        if (code == NO_FAULT) {
            return Outcome.PERMITTED;
        }
        // The #PF is a trap into the host before demand_page decides anything: should it kill
        // the guest, that exit still happened (kill reports it first).
        trapped = true;
        boolean fixed;
        try {
            fixed = demandPage(dir, vaddr, write, user, fetch);
        } finally {
            trapped = false;
        }
        if (fixed) {
            sink.observe(new Fault(event, cpu, Fault.Kind.HIDDEN, vaddr, code));
            sink.observe(new Exit(event, cpu, "hidden_fault"));
            return Outcome.HIDDEN;
        }
        sink.observe(new Fault(event, cpu, Fault.Kind.REFLECTED, vaddr, code));
        sink.observe(new Exit(event, cpu, "reflected_fault"));
        return Outcome.REFLECTED;
    }

    /** The error code the CPU raises walking the shadow, or {@link #NO_FAULT}. */
    private int shadowFault(Pgdir dir, long vaddr, boolean write, boolean user, boolean fetch) {
        if (!descent.to(dir.top, vaddr, 1)) {
            return errorCode(false, write, user, fetch);
        }
        long spte = descent.page.entries[paging.index(1, vaddr)];
        if (!present(spte)) {
            return errorCode(false, write, user, fetch);
        }
        long rights = paging.rights(descent.rights, spte, 1);
        boolean denied = (write && (rights & RW) == 0) || (user && (rights & USER) == 0)
                || (fetch && nxe && (rights & NX) != 0);
        return denied ? errorCode(true, write, user, fetch) : NO_FAULT;
    }

    private int errorCode(boolean present, boolean write, boolean user, boolean fetch) {
        return (present ? PageFault.P : 0) | (write ? PageFault.W : 0) | (user ? PageFault.U : 0)
                | (fetch && nxe ? PageFault.ID : 0);
    }

    /**
     * demand_page: fill the shadow entry for {@code vaddr} from the guest's tables if they allow
     * the access. A read installs the entry write-protected (unless the guest PTE is already
     * dirty) so that the first write comes back here and sets D in the guest PTE.
     */
    private boolean demandPage(Pgdir dir, long vaddr, boolean write, boolean user, boolean fetch) {
        guest.from(dir.gpgdir);
        ShadowTable s = dir.top;
        for (int level = paging.top; level > 1; level--) {
            long gentry = readGuest(level, vaddr);
            if (!present(gentry)) {
                return false;
            }
            if (level == paging.top && paging.inSwitcher(vaddr)) {
                killSwitcher(vaddr);
            }
            int i = paging.index(level, vaddr);
            if (s.children[i] == null) {
                // The seed's order: get_zeroed_page first, then check_gpgd, which may kill.
                s.children[i] = allocate(dir, level - 1, s.base + ((long) i << paging.shift(level)),
                        paging.pfn(gentry));
                checkGpgd(gentry, vaddr);
                s.entries[i] = gentry;
                s.use(i);
            }
            guest.descend();
            s = s.children[i];
        }
        long gpte = readGuest(1, vaddr);
        if (!present(gpte)
                || (write && (gpte & RW) == 0)
                || (user && (gpte & USER) == 0)
                || (fetch && nxe && (guest.rights & NX) != 0)) {
            return false;
        }
        checkGpte(gpte, vaddr);
        gpte |= write ? ACCESSED | DIRTY : ACCESSED;
        // A replaced entry (a write after a read fill) is an upgrade, not a discard.
        long spte = (gpte & DIRTY) != 0 ? gpte & ~GLOBAL : gpte & ~(GLOBAL | RW);
        memory.setBits(guest.entryGpa, write ? ACCESSED | DIRTY : ACCESSED);
        fill(dir, s, paging.index(1, vaddr), vaddr, spte);
        return true;
    }

    /** demand_page's read of the guest's entry at {@code level}: one it never wrote is unknown state, observed. */
    private long readGuest(int level, long vaddr) {
        long entry = guest.step(level, vaddr);
        if (!guest.known) {
            sink.observe(new UnknownStateWalk(event, cpu, vaddr, guest.entryGpa));
        } else if (guest.entryGpa != pendingGpa && !memory.writtenSinceGap(guest.entryGpa)) {
            readBeforeGap = true;
        }
        return entry;
    }

    private void fill(Pgdir dir, ShadowTable leaf, int i, long vaddr, long spte) {
        if (present(spte)) {
            leaf.use(i);
        } else {
            leaf.release(i);
        }
        leaf.entries[i] = spte;
        boolean refill = discards.refills(dir.gpgdir, paging.canonical(vaddr) >>> PAGE_SHIFT, spte);
        sink.observe(new ShadowFill(event, cpu, vaddr, refill));
    }

    // ---------------------------------------------------------------- (ii) the guest stack

    void setStack(long top, int pages) {
        stackTop[cpu] = top;
        stackPages[cpu] = pages;
        pinStackPages(false);
    }

    /** pin_stack_pages: each stack page must be mapped writable, the stack growing down from the top given. */
    private void pinStackPages(boolean repin) {
        int pages = stackPages[cpu];
        if (pages == 0) {
            return;
        }
        Pgdir dir = current();
        if (dir == null) {
            return;
        }
        if (repin) {
            sink.observe(new StackRepin(event, cpu, pages));
        }
        for (int i = 0; i < pages; i++) {
            long vaddr = stackTop[cpu] - 1 - i * PAGE_SIZE;
            if (!pageWritable(dir, vaddr) && !demandPage(dir, vaddr, true, false, false)) {
                kill("bad_stack_page", String.format("bad stack page %#x", paging.canonical(vaddr)));
            }
        }
    }

    private boolean pageWritable(Pgdir dir, long vaddr) {
        if (paging.inSwitcher(vaddr)) {
            killSwitcher(vaddr);
        }
        if (!descent.to(dir.top, vaddr, 1)) {
            return false;
        }
        long spte = descent.page.entries[paging.index(1, vaddr)];
        return present(spte) && (spte & RW) != 0;
    }

    // ---------------------------------------------------------------- (iii) the guest changes an entry

    /**
     * guest_set_pte: a kernel address is changed in every cached pgdir, a user one only in the
     * pgdir of {@code mm}. {@code guestAsked} marks a guest flush (flush one), always reported.
     */
    void setPte(long mm, long vaddr, long gpte, boolean guestAsked) {
        tally.reset();
        if (paging.atOrAbove(vaddr, kernelAddress)) {
            for (int s = 0; s < pgdirs.size(); s++) {
                Pgdir d = pgdirs.slot(s);
                if (d.allocated()) {
                    doSetPte(d, vaddr, gpte);
                }
            }
        } else {
            Pgdir d = pgdirs.find(mm);
            if (d != null) {
                doSetPte(d, vaddr, gpte);
            }
        }
        report("shadow_set_pte", guestAsked ? Flush.Origin.GUEST_REQUESTED : Flush.Origin.MODEL_GENERATED,
                guestAsked || tally.entries > 0, false, 1);
    }

    /** do_set_pte: drop the old shadow entry; install the new one at once if the guest set A or D. */
    private void doSetPte(Pgdir dir, long vaddr, long gpte) {
        if (paging.inSwitcher(vaddr)) {
            killSwitcher(vaddr);
        }
        if (!descent.to(dir.top, vaddr, 1)) {
            return;
        }
        ShadowTable s = descent.page;
        int i = paging.index(1, vaddr);
        if (present(s.entries[i])) {
            discard(s, i, descent.rights);
        }
        if ((gpte & (ACCESSED | DIRTY)) != 0) {
            checkGpte(gpte, vaddr);
            // The seed copies the flags as they are: with A and RW but no D the entry is writable.
            fill(dir, s, i, vaddr, gpte & ~GLOBAL);
        }
    }

    /**
     * guest_set_pmd, for any level above the leaf: the shadow page under the changed slot goes
     * (with everything below it). The seed's only case is the top table of a cached pgdir; pae and
     * 4level also find every shadow page that shadows the changed guest table. Slots that map
     * only the Switcher are ignored, as the seed ignores the kernel's early attempts to map over it.
     */
    void setNonLeaf(long entryGpa) {
        tally.reset();
        long topGpa = paging.topTableGpa(entryGpa);
        Pgdir dir = pgdirs.find(topGpa);
        if (dir != null) {
            releaseUnlessSwitcher(dir.top, paging.indexAt(topGpa, entryGpa), ALL_RIGHTS);
        }
        pages.shadowing(entryGpa >>> PAGE_SHIFT, scratch);
        int i = paging.indexAt(entryGpa & ~(PAGE_SIZE - 1), entryGpa);
        // by index: the iterator was one allocation per set_pmd/set_pud/set_pgd the JIT did not remove
        for (int k = 0; k < scratch.size(); k++) {
            ShadowTable t = scratch.get(k);
            // a page released by an earlier one in this loop has no owner any more
            if (t.owner != null && i < t.entries.length) {
                releaseUnlessSwitcher(t, i, rightsAbove(t));
            }
        }
        report("shadow_set_pmd", Flush.Origin.MODEL_GENERATED, tally.entries > 0, false, 1);
    }

    private void releaseUnlessSwitcher(ShadowTable t, int i, long rightsAbove) {
        if (!paging.inSwitcher(t.base + ((long) i << paging.shift(t.level)))) {
            releaseSlot(t, i, rightsAbove);
        }
    }

    /** The rights the shadow path above page {@code t} grants. */
    private long rightsAbove(ShadowTable t) {
        descent.to(t.owner.top, t.base, t.level);
        return descent.rights;
    }

    // ---------------------------------------------------------------- (v) throwing shadows away

    /** LHCALL_FLUSH_TLB(0): guest_pagetable_flush_user on the vCPU's current pgdir. */
    void flushUser(Flush.Origin origin) {
        Pgdir dir = current();
        tally.reset();
        if (dir != null) {
            flushUserMappings(dir);
        }
        report("shadow_flush_user", origin, true, true, 1);
    }

    /** flush_user_mappings: every top slot below the kernel's. */
    private void flushUserMappings(Pgdir dir) {
        ShadowTable top = dir.top;
        for (int i = top.nextInUse(0); i >= 0 && i < kernelTopIndex; i = top.nextInUse(i + 1)) {
            releaseSlot(top, i, ALL_RIGHTS);
        }
    }

    /** LHCALL_FLUSH_TLB(1): guest_pagetable_clear_all, then the stack mapped again. */
    void clearAll(Flush.Origin origin) {
        tally.reset();
        boolean uncertain = shadowsSinceGap;
        shadowsSinceGap = false;
        for (int s = 0; s < pgdirs.size(); s++) {
            Pgdir d = pgdirs.slot(s);
            if (d.allocated()) {
                for (int i = d.top.nextInUse(0); i >= 0; i = d.top.nextInUse(i + 1)) {
                    releaseSlot(d.top, i, ALL_RIGHTS);
                }
            }
        }
        sink.observe(new ShadowClearAll(event, cpu));
        report("shadow_clear_all", origin, true, true, vcpus, uncertain);
        pinStackPages(true);
    }

    /** release_pgd at any level: the page under slot {@code i} and everything below it. */
    private void releaseSlot(ShadowTable table, int i, long rightsAbove) {
        ShadowTable child = table.children[i];
        if (child == null) {
            return;
        }
        long rights = paging.rights(rightsAbove, table.entries[i], table.level);
        table.children[i] = null;
        table.entries[i] = 0;
        table.release(i);
        releasePage(child, rights);
    }

    /** Every slot in use, in slot order: a leaf page's present entries, another page's pages below. */
    private void releasePage(ShadowTable page, long rights) {
        for (int i = page.nextInUse(0); i >= 0; i = page.nextInUse(i + 1)) {
            if (page.level == 1) {
                discard(page, i, rights);
            } else {
                releaseSlot(page, i, rights);
            }
        }
        free(page);
    }

    /** release_pte, counted: the entry goes, and whether it still matched the guest is recorded. */
    private void discard(ShadowTable leaf, int i, long rightsAbove) {
        long spte = leaf.entries[i];
        leaf.entries[i] = 0;
        leaf.release(i);
        long gpgdir = leaf.owner.gpgdir;
        long vaddr = paging.canonical(leaf.base + ((long) i << PAGE_SHIFT));
        boolean valid = stillValid(gpgdir, vaddr, spte, paging.rights(rightsAbove, spte, 1));
        tally.discarded(vaddr >>> PAGE_SHIFT, valid);
        discards.discarded(gpgdir, vaddr >>> PAGE_SHIFT, spte);
    }

    /**
     * Whether a shadow entry still matches the guest's translation of {@code vaddr} under
     * {@code cr3}: same frame, and no right the guest has taken away since (RW, US, or NX added).
     * Anything else makes it stale: present to not present, another frame, a downgrade (SPEC §4).
     */
    private boolean stillValid(long cr3, long vaddr, long spte, long shadowRights) {
        guest.from(cr3);
        for (int level = paging.top; level >= 1; level--) {
            long g = guest.step(level, vaddr);
            if (!guest.known || !present(g)) {
                return false;
            }
            if (level > 1) {
                if ((g & PSE) != 0 && paging.carriesRights(level)) {
                    return false;
                }
                guest.descend();
            } else if (paging.pfn(g) != paging.pfn(spte)) {
                return false;
            }
        }
        long rights = guest.rights;
        if ((shadowRights & RW) != 0 && (rights & RW) == 0) {
            return false;
        }
        if ((shadowRights & USER) != 0 && (rights & USER) == 0) {
            return false;
        }
        return (rights & NX) == 0 || (shadowRights & NX) != 0;
    }

    /** One ShadowDiscard for the entries the operation dropped, and its Flush when it is reported. */
    private void report(String kind, Flush.Origin origin, boolean flush, boolean full, int targets) {
        report(kind, origin, flush, full, targets, shadowsSinceGap);
    }

    /** As above; {@code sinceGap}: the shadows it judged held what a gap left unknown. */
    private void report(String kind, Flush.Origin origin, boolean flush, boolean full, int targets,
            boolean sinceGap) {
        if (tally.entries > 0) {
            sink.observe(new ShadowDiscard(event, cpu, tally.entries, tally.stillValid));
        }
        if (flush) {
            boolean overBroad = full && tally.stale > 0 && !tally.staleSpread;
            sink.observe(new Flush(event, cpu, kind, origin, tally.stale > 0, tally.stale, overBroad, targets));
            if (sinceGap) {
                sink.observe(new GapUncertainty(event, cpu, GapUncertainty.Kind.TLB_SINCE_GAP));
            }
        }
    }

    // ---------------------------------------------------------------- shadow pages

    private ShadowTable allocate(Pgdir dir, int level, long base, long guestPfn) {
        sink.observe(new ShadowPage(event, cpu, level, true));
        return pages.allocate(dir, level, base, guestPfn);
    }

    private void free(ShadowTable t) {
        sink.observe(new ShadowPage(event, cpu, t.level, false));
        pages.free(t);
    }

    // ---------------------------------------------------------------- kill_guest

    private void checkGpte(long gpte, long vaddr) {
        long flags = paging.flags(gpte);
        long pfn = paging.pfn(gpte);
        if ((flags & (PWT | PSE)) != 0) {
            kill("bad_pte", String.format("bad page table entry %#x for vaddr %#x: %s set", gpte,
                    paging.canonical(vaddr), (flags & PWT) != 0 ? "_PAGE_PWT" : "_PAGE_PSE"));
        }
        if (pfn >= pfnLimit) {
            kill("bad_pte", String.format("bad page table entry %#x for vaddr %#x: pfn %#x >= pfn_limit %#x",
                    gpte, paging.canonical(vaddr), pfn, pfnLimit));
        }
    }

    private void checkGpgd(long gpgd, long vaddr) {
        long flags = paging.flags(gpgd);
        long pfn = paging.pfn(gpgd);
        if ((flags & ~PAGE_TABLE) != 0) {
            kill("bad_pgd", String.format("bad page directory entry %#x for vaddr %#x: flags %#x beyond _PAGE_TABLE%s",
                    gpgd, paging.canonical(vaddr), flags & ~PAGE_TABLE,
                    (flags & PSE) != 0 ? " (_PAGE_PSE: lguest gives its guest no large pages)" : ""));
        }
        if (pfn >= pfnLimit) {
            kill("bad_pgd", String.format("bad page directory entry %#x for vaddr %#x: pfn %#x >= pfn_limit %#x",
                    gpgd, paging.canonical(vaddr), pfn, pfnLimit));
        }
    }

    private void killSwitcher(long vaddr) {
        kill("switcher_access", String.format("attempt to access switcher pages at %#x", paging.canonical(vaddr)));
    }

    private void kill(String reason, String message) {
        killed = true;
        if (trapped) {
            sink.observe(new Exit(event, cpu, "fatal_fault"));
        }
        sink.observe(new ValidationFailure(event, cpu, reason, message, true));
        throw GuestKilled.INSTANCE;
    }

    /**
     * One descent through a pgdir's shadow pages, the walk the access check, pin_page's
     * page_writable, do_set_pte and the rights of a page's path share: the page reached and the
     * rights (RW, USER ANDed, NX ORed) the shadow grants above it. One is reused, so the per-access
     * path allocates nothing; read it right after {@link #to}.
     */
    private final class Descent {
        ShadowTable page;
        long rights;

        /** From {@code top} down to the page at {@code level} on {@code vaddr}'s path; false when a page on the way is missing. */
        boolean to(ShadowTable top, long vaddr, int level) {
            ShadowTable s = top;
            long r = ALL_RIGHTS;
            for (int l = paging.top; l > level; l--) {
                int i = paging.index(l, vaddr);
                ShadowTable child = s.children[i];
                if (child == null) {
                    return false;
                }
                r = paging.rights(r, s.entries[i], l);
                s = child;
            }
            page = s;
            rights = r;
            return true;
        }
    }

    /**
     * One walk down the guest's own tables for one vaddr, a level at a time: the walk demand_page
     * and the stale-entry check share. Each step reads the entry on the path (the store being
     * replayed counts as done; an entry the trace never wrote reads as 0 and not {@link #known})
     * and the rights the guest grants down to it (RW, USER ANDed, NX ORed). Reused like
     * {@link Descent}; read it right after {@link #step}.
     */
    private final class GuestPath {
        long tableGpa;
        long rights;
        long entryGpa;
        long entry;
        boolean known;

        void from(long topGpa) {
            tableGpa = topGpa;
            rights = ALL_RIGHTS;
        }

        long step(int level, long vaddr) {
            entryGpa = paging.slotGpa(tableGpa, paging.index(level, vaddr));
            known = entryGpa == pendingGpa || memory.isKnown(entryGpa);
            entry = !known ? 0 : entryGpa == pendingGpa ? pendingValue : memory.read(entryGpa);
            rights = paging.rights(rights, entry, level);
            return entry;
        }

        /** To the table the entry just read points to. */
        void descend() {
            tableGpa = paging.pfn(entry) << PAGE_SHIFT;
        }
    }

    /** What one throw-away removed: entries, how many still matched the guest, where the stale ones were. */
    private static final class Tally {
        int entries;
        int stillValid;
        int stale;
        long staleVpn;
        boolean staleSpread;

        void reset() {
            entries = 0;
            stillValid = 0;
            stale = 0;
            staleSpread = false;
        }

        void discarded(long vpn, boolean valid) {
            entries++;
            if (valid) {
                stillValid++;
                return;
            }
            if (stale == 0) {
                staleVpn = vpn;
            } else if (vpn != staleVpn) {
                staleSpread = true;
            }
            stale++;
        }
    }
}
