package dev.mmutrace.trace.importer;

import static dev.mmutrace.trace.TraceInputException.quote;

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
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.Unpin;
import dev.mmutrace.trace.WriteCr3;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import java.util.Arrays;
import java.util.HashMap;

/**
 * Turns tracepoint records into trace events, for every {@code xen_mmu_*}, {@code xen_mc_*} and
 * {@code exceptions:page_fault_*} name the kernel has used (tracepoints.md §1, §2), whichever
 * importer read them: the only place these events are understood.
 *
 * <p>Three things the records do not say directly are worked out here, each documented in
 * docs/ftrace-import.md: which page table an {@code mm} pointer stands for (learned from
 * {@code xen_mmu_pgd_pin/unpin}, which name both; otherwise the cpu's current cr3); where a
 * lazy-MMU window opens and closes (the lazy mode each {@code xen_mc_batch} records); and which
 * level an {@code alloc_ptpage} means (Linux's {@code enum pt_level} changed in 4.12). Pointers
 * become gpas through the direct map ({@link KernelPointers}).
 */
final class XenTranslation {
    private static final long TLB_FLUSH_ALL = -1L;
    private static final long LAZY_MMU_MODE = 1; // PARAVIRT_LAZY_MMU / XEN_LAZY_MMU

    private final PagingMode mode;
    private final ImportOptions options;
    private final KernelPointers pointers;
    private final ImportSummary.Tally tally;
    private final Long2LongOpenHashMap pgdOfMm = new Long2LongOpenHashMap();
    private final long[] kernelCr3 = new long[TraceHeader.MAX_VCPUS];
    private final boolean[] inLazyMmu = new boolean[TraceHeader.MAX_VCPUS];
    private final String[] problem = new String[1];
    private final HashMap<String, String> skipReasons = new HashMap<>();

    private static final String BATCH_KEEPS_WINDOW = Tracepoint.XEN_MC_BATCH.text() + ": no change of the lazy MMU window";
    private static final String ISSUE_KEEPS_WINDOW = Tracepoint.XEN_MC_ISSUE.text() + ": no change of the lazy MMU window";

    XenTranslation(ImportOptions options, long pfnLimit, ImportSummary.Tally tally) {
        this.mode = options.mode();
        this.options = options;
        this.pointers = new KernelPointers(mode, options.directMapBase(), options.keepHashedPointers(), pfnLimit);
        this.tally = tally;
        Arrays.fill(kernelCr3, TraceEvent.NO_ADDRESS);
    }

    /**
     * The event for one record, or null when the record is skipped (and counted); a
     * {@link FieldException} when a field cannot be used.
     */
    TraceEvent translate(TracepointRecord p) {
        int cpu = p.cpu();
        long ts = p.timestampNs();
        switch (p.tracepoint()) {
            case XEN_MMU_SET_PTE:
            case XEN_MMU_SET_PTE_ATOMIC:
                return new SetPte(cpu, ts, entry(p, Field.PTEP), entryValue(p, Field.PTEVAL));
            case XEN_MMU_SET_PTE_AT:
                return setPteAt(cpu, ts, p, false, entryValue(p, Field.PTEVAL));
            case XEN_MMU_PTE_CLEAR:
                return setPteAt(cpu, ts, p, false, 0);
            case XEN_MMU_PTEP_MODIFY_PROT_COMMIT:
                return setPteAt(cpu, ts, p, true, entryValue(p, Field.PTEVAL));
            case XEN_MMU_SET_PMD:
                return new SetPmd(cpu, ts, entry(p, Field.PMDP), entryValue(p, Field.PMDVAL));
            case XEN_MMU_PMD_CLEAR:
                return new SetPmd(cpu, ts, entry(p, Field.PMDP), 0);
            case XEN_MMU_SET_PUD:
                return new SetPud(cpu, ts, entry(p, Field.PUDP), entryValue(p, Field.PUDVAL));
            case XEN_MMU_PUD_CLEAR:
                return new SetPud(cpu, ts, entry(p, Field.PUDP), 0);
            case XEN_MMU_SET_P4D:
                return new SetPgd(cpu, ts, entry(p, Field.P4DP), entryValue(p, Field.P4DVAL), optionalEntry(p, Field.USER_P4DP));
            case XEN_MMU_SET_PGD:
                return new SetPgd(cpu, ts, entry(p, Field.PGDP), entryValue(p, Field.PGDVAL), optionalEntry(p, Field.USER_PGDP));
            case XEN_MMU_PGD_CLEAR:
                return new SetPgd(cpu, ts, entry(p, Field.PGDP), 0, TraceEvent.NO_ADDRESS);
            case XEN_MMU_ALLOC_PTPAGE:
                return new AllocPt(cpu, ts, p.number(Field.PFN), level(p), p.number(Field.PINNED) != 0);
            case XEN_MMU_RELEASE_PTPAGE:
                return new ReleasePt(cpu, ts, p.number(Field.PFN), level(p), p.number(Field.PINNED) != 0);
            case XEN_MMU_PGD_PIN: {
                long pgd = table(p, Field.PGD);
                pgdOfMm.put(p.number(Field.MM), pgd);
                return new Pin(cpu, ts, pgd, mode.levels());
            }
            case XEN_MMU_PGD_UNPIN: {
                long pgd = table(p, Field.PGD);
                pgdOfMm.put(p.number(Field.MM), pgd);
                return new Unpin(cpu, ts, pgd, mode.levels());
            }
            case XEN_MMU_WRITE_CR3:
                return writeCr3(cpu, ts, p);
            case XEN_MMU_FLUSH_TLB:
                return FlushTlb.user(cpu, ts);
            case XEN_MMU_FLUSH_TLB_ALL:
                return FlushTlb.all(cpu, ts);
            case XEN_MMU_FLUSH_TLB_SINGLE:
            case XEN_MMU_FLUSH_TLB_ONE_USER:
                return FlushTlb.one(cpu, ts, vaddr(p, Field.ADDR));
            case XEN_MMU_FLUSH_TLB_OTHERS:
            case XEN_MMU_FLUSH_TLB_MULTI:
                return flushMulti(cpu, ts, p);
            case XEN_MC_BATCH:
            case XEN_MC_ISSUE:
                return lazyMmu(p.tracepoint(), cpu, ts, p);
            case PAGE_FAULT_USER:
            case PAGE_FAULT_KERNEL:
                return pageFault(p.tracepoint(), cpu, ts, p);
            case XEN_MMU_PTEP_MODIFY_PROT_START:
                tally.skipped("xen_mmu_ptep_modify_prot_start: reads the entry; the commit carries the update");
                return null;
            case XEN_MMU_SET_DOMAIN_PTE:
                tally.skipped("xen_mmu_set_domain_pte: an entry for another domain, not this guest's tables");
                return null;
            case OTHER:
                skipUnknown(p.name());
                return null;
            default:
                throw new AssertionError(p.tracepoint());
        }
    }

    /**
     * The tracer lost events of {@code cpu}: what the translation knew of that cpu (the cr3 it
     * loaded, whether it is in a lazy MMU window) may have changed in them, so it is forgotten.
     * The next {@code xen_mc_batch} in lazy mode opens a window again; until the next kernel cr3
     * an entry update on an mm never pinned is imported as {@code set_pte}.
     */
    void lost(int cpu) {
        kernelCr3[cpu] = TraceEvent.NO_ADDRESS;
        inLazyMmu[cpu] = false;
    }

    /**
     * Counts a record whose event name the translation does not know. Most records of a real
     * capture can be such (sched_switch, tlb_flush), so each name's reason is made once.
     */
    private void skipUnknown(String name) {
        tally.skipped(skipReasons.computeIfAbsent(name, n -> n.startsWith("xen_mc_") || n.startsWith("xen_cpu_")
                ? n + ": Xen bookkeeping with no MMU request of its own"
                : n + ": not an MMU event this importer knows"));
    }

    private TraceEvent setPteAt(int cpu, long ts, TracepointRecord p, boolean modifyProt, long value) {
        long mmPointer = p.number(Field.MM);
        long va = vaddr(p, Field.ADDR);
        long gpa = entry(p, Field.PTEP);
        long mm = pgdOfMm.getOrDefault(mmPointer, TraceEvent.NO_ADDRESS);
        if (mm == TraceEvent.NO_ADDRESS) {
            mm = kernelCr3[cpu];
            if (mm == TraceEvent.NO_ADDRESS) {
                tally.approximated("entry update on an mm never pinned, before any cr3 on its cpu: imported as set_pte");
                return new SetPte(cpu, ts, gpa, value);
            }
            tally.approximated("entry update on an mm never pinned in the trace: taken as the cpu's current mm");
        }
        return modifyProt ? new PtepModifyProt(cpu, ts, mm, va, gpa, value) : new SetPteAt(cpu, ts, mm, va, gpa, value);
    }

    private TraceEvent writeCr3(int cpu, long ts, TracepointRecord p) {
        if (!p.has(Field.KERNEL)) {
            throw new FieldException("kernel", "expected 'kernel cr3 <hex>' or 'user cr3 <hex>' in "
                    + quote(p.describe()));
        }
        boolean kernel = p.number(Field.KERNEL) != 0;
        long cr3 = p.number(Field.CR3);
        if (kernel) {
            kernelCr3[cpu] = cr3;
        }
        return new WriteCr3(cpu, ts, cr3, kernel ? WriteCr3.Root.KERNEL : WriteCr3.Root.USER);
    }

    private TraceEvent flushMulti(int cpu, long ts, TracepointRecord p) {
        int ncpus = (int) p.number(Field.NCPUS);
        if (ncpus < 0) {
            throw new FieldException("ncpus", "negative cpu count " + ncpus);
        }
        long mm = pgdOfMm.getOrDefault(p.number(Field.MM), TraceEvent.NO_ADDRESS);
        long start = p.number(Field.ADDR);
        long end = p.number(Field.END);
        if (end == TLB_FLUSH_ALL) {
            return new FlushTlb(cpu, ts, FlushTlb.Scope.MULTI, TraceEvent.NO_ADDRESS, TraceEvent.NO_ADDRESS, 0,
                    ncpus, mm);
        }
        long va = canonicalVaddr(start, "addr");
        long vaEnd = canonicalVaddr(end, "end");
        if (vaEnd <= va) {
            throw new FieldException("end", String.format("range end %x does not follow its start %x", end, start));
        }
        return new FlushTlb(cpu, ts, FlushTlb.Scope.MULTI, va, vaEnd, 0, ncpus, mm);
    }

    /**
     * Every batched hypercall starts with xen_mc_batch, which (up to Linux 7.1) records the lazy
     * mode the cpu is in: the first LAZY_MMU batch opens a window, the first batch outside lazy
     * MMU mode after it closes it. Linux 7.2 records IRQ flags instead, and its xen_mc_issue says
     * whether the batch went out at once ({@code flush: yes}) or was left for the window's end.
     * Up to 7.1 xen_mc_issue records the mode it defers for, not the cpu's state, and is skipped.
     */
    private TraceEvent lazyMmu(Tracepoint name, int cpu, long ts, TracepointRecord p) {
        Boolean lazy = null;
        if (name == Tracepoint.XEN_MC_BATCH) {
            if (p.has(Field.MODE)) {
                lazy = p.number(Field.MODE) == LAZY_MMU_MODE;
            } else if (!p.has(Field.FLAGS)) {
                throw new FieldException("mode", "expected 'start batch LAZY_<mode>' in " + quote(p.describe()));
            }
        } else if (p.has(Field.FLUSH)) {
            lazy = p.number(Field.FLUSH) == 0;
        }
        if (lazy == null) {
            tally.skipped(name.text() + ": says nothing about the lazy MMU window in this kernel's format");
            return null;
        }
        if (lazy != inLazyMmu[cpu]) {
            inLazyMmu[cpu] = lazy;
            return new LazyMmu(cpu, ts, lazy ? LazyMmu.Phase.ENTER : LazyMmu.Phase.LEAVE);
        }
        tally.skipped(name == Tracepoint.XEN_MC_BATCH ? BATCH_KEEPS_WINDOW : ISSUE_KEEPS_WINDOW);
        return null;
    }

    private TraceEvent pageFault(Tracepoint name, int cpu, long ts, TracepointRecord p) {
        if (!p.has(Field.ADDRESS)) {
            throw new FieldException("address", "missing in " + quote(p.describe()));
        }
        if (p.isSymbol(Field.ADDRESS)) {
            tally.skipped(name.text() + ": address printed as a kernel symbol (%ps), its number is lost");
            return null;
        }
        long va = canonicalVaddr(p.number(Field.ADDRESS), "address");
        long ip = 0;
        if (p.has(Field.IP) && !p.isSymbol(Field.IP)) {
            ip = p.number(Field.IP);
        } else {
            tally.approximated(name.text() + ": ip printed as a kernel symbol, imported as 0 (unknown)");
        }
        long error = p.number(Field.ERROR_CODE);
        if (error > 0xffff || error < 0) {
            throw new FieldException("error_code", "beyond the 16 bits of a #PF error code: " + Long.toHexString(error));
        }
        return new PageFault(cpu, ts, va, (int) error, ip);
    }

    /** alloc/release_ptpage record Linux's enum pt_level; ours is Xen's L1..L4. */
    private int level(TracepointRecord p) {
        long v = p.number(Field.LEVEL);
        int top = mode.levels();
        int level;
        if (options.legacyPtLevels()) { // PT_PGD, PT_PUD, PT_PMD, PT_PTE
            level = v == 0 ? top : v == 1 ? 3 : v == 2 ? 2 : v == 3 ? 1 : -1;
        } else { // PT_PGD, PT_P4D, PT_PUD, PT_PMD, PT_PTE
            level = v == 0 || v == 1 ? top : v == 2 ? 3 : v == 3 ? 2 : v == 4 ? 1 : -1;
        }
        if (level < 1 || level > top) {
            throw new FieldException("level", "Linux pt_level " + v + " has no page-table level in " + mode.wireName()
                    + (options.legacyPtLevels() ? " (pre-4.12 numbering)" : " (numbering with P4D, Linux 4.12+)"));
        }
        return level;
    }

    /** The entry value as the guest sees it (pfn-based); a raw one only when the user says pfn = mfn. */
    private long entryValue(TracepointRecord p, Field key) {
        if (p.rawEntryValues()) {
            if (!options.acceptRawValues()) {
                throw new FieldException(key.text(), "this record holds only the raw (machine-frame) entry, not"
                        + " pte_val()'s pfn-based one (trace.dat, or trace-cmd's [FAILED TO PARSE] text); import the"
                        + " kernel's own text (/sys/kernel/tracing/trace) or, when pfn = mfn, pass --accept-raw-values");
            }
            tally.approximated("raw entry values taken as pfn-based (--accept-raw-values)");
        }
        return p.number(key);
    }

    private long entry(TracepointRecord p, Field key) {
        long ptr = p.number(key);
        if (ptr == 0) {
            throw new FieldException(key.text(), "null entry pointer");
        }
        return gpa(ptr, mode.entryBytes(), key);
    }

    private long optionalEntry(TracepointRecord p, Field key) {
        long ptr = p.number(key);
        return ptr == 0 ? TraceEvent.NO_ADDRESS : gpa(ptr, mode.entryBytes(), key);
    }

    private long table(TracepointRecord p, Field key) {
        long ptr = p.number(key);
        if (ptr == 0) {
            throw new FieldException(key.text(), "null table pointer");
        }
        return gpa(ptr, 4096, key);
    }

    private long gpa(long pointer, int align, Field key) {
        long gpa = pointers.toGpa(pointer, align, problem);
        if (gpa < 0) {
            throw new FieldException(key.text(), problem[0]);
        }
        return gpa;
    }

    private long vaddr(TracepointRecord p, Field key) {
        return canonicalVaddr(p.number(key), key.text());
    }

    /** x86-64 vaddrs are kept as recorded: canonical, kernel ones negative as a Java long. */
    private long canonicalVaddr(long va, String key) {
        if (mode == PagingMode.FOUR_LEVEL) {
            long top = va >> 47;
            if (top != 0 && top != -1) {
                throw new FieldException(key, String.format("vaddr %x is not a canonical 48-bit address", va));
            }
            return va;
        }
        if ((va >>> 32) != 0) {
            throw new FieldException(key, String.format("vaddr %x does not fit the 32 bits of %s", va, mode.wireName()));
        }
        return va;
    }
}
