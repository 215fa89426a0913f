package dev.mmutrace.trace.ftrace;

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
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.Unpin;
import dev.mmutrace.trace.WriteCr3;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import java.util.Arrays;

/**
 * Turns one parsed ftrace event into a trace event, for every {@code xen_mmu_*}, {@code xen_mc_*}
 * and {@code exceptions:page_fault_*} name the kernel has used (tracepoints.md §1, §2).
 *
 * <p>Three things the text does not say directly are worked out here, each documented in
 * docs/ftrace-import.md: which page table an {@code mm} pointer stands for (learned from
 * {@code xen_mmu_pgd_pin/unpin}, which print both; otherwise the cpu's current cr3); where a
 * lazy-MMU window opens and closes (the lazy mode each {@code xen_mc_batch} prints); and which
 * level an {@code alloc_ptpage} means (Linux's {@code enum pt_level} changed in 4.12).
 */
final class FtraceEvents {
    private static final long TLB_FLUSH_ALL = -1L;

    private final String source;
    private final PagingMode mode;
    private final FtraceOptions options;
    private final KernelPointers pointers;
    private final ImportSummary.Tally tally;
    private final Long2LongOpenHashMap pgdOfMm = new Long2LongOpenHashMap();
    private final long[] kernelCr3 = new long[TraceHeader.MAX_VCPUS];
    private final boolean[] inLazyMmu = new boolean[TraceHeader.MAX_VCPUS];
    private final String[] problem = new String[1];
    private long line;

    FtraceEvents(String source, FtraceOptions options, long pfnLimit, ImportSummary.Tally tally) {
        this.source = source;
        this.mode = options.mode();
        this.options = options;
        this.pointers = new KernelPointers(mode, options.directMapBase(), options.keepHashedPointers(), pfnLimit);
        this.tally = tally;
        Arrays.fill(kernelCr3, TraceEvent.NO_ADDRESS);
    }

    /** The event for one line, or null when the line's event is skipped (and counted). */
    TraceEvent translate(String name, int cpu, long ts, Payload p, long lineNumber) {
        this.line = lineNumber;
        switch (name) {
            case "xen_mmu_set_pte":
            case "xen_mmu_set_pte_atomic":
                return new SetPte(cpu, ts, entry(p, "ptep"), entryValue(p, "pteval"));
            case "xen_mmu_set_pte_at":
                return setPteAt(cpu, ts, p, false, entryValue(p, "pteval"));
            case "xen_mmu_pte_clear":
                return setPteAt(cpu, ts, p, false, 0);
            case "xen_mmu_ptep_modify_prot_commit":
                return setPteAt(cpu, ts, p, true, entryValue(p, "pteval"));
            case "xen_mmu_set_pmd":
                return new SetPmd(cpu, ts, entry(p, "pmdp"), entryValue(p, "pmdval"));
            case "xen_mmu_pmd_clear":
                return new SetPmd(cpu, ts, entry(p, "pmdp"), 0);
            case "xen_mmu_set_pud":
                return new SetPud(cpu, ts, entry(p, "pudp"), entryValue(p, "pudval"));
            case "xen_mmu_pud_clear":
                return new SetPud(cpu, ts, entry(p, "pudp"), 0);
            case "xen_mmu_set_p4d":
                return new SetPgd(cpu, ts, entry(p, "p4dp"), entryValue(p, "p4dval"), optionalEntry(p, "user_p4dp"));
            case "xen_mmu_set_pgd":
                return new SetPgd(cpu, ts, entry(p, "pgdp"), entryValue(p, "pgdval"), optionalEntry(p, "user_pgdp"));
            case "xen_mmu_pgd_clear":
                return new SetPgd(cpu, ts, entry(p, "pgdp"), 0, TraceEvent.NO_ADDRESS);
            case "xen_mmu_alloc_ptpage":
                return new AllocPt(cpu, ts, hex(p, "pfn"), level(p), pinned(p));
            case "xen_mmu_release_ptpage":
                return new ReleasePt(cpu, ts, hex(p, "pfn"), level(p), pinned(p));
            case "xen_mmu_pgd_pin": {
                long pgd = table(p, "pgd");
                pgdOfMm.put(pointer(p, "mm"), pgd);
                return new Pin(cpu, ts, pgd, mode.levels());
            }
            case "xen_mmu_pgd_unpin": {
                long pgd = table(p, "pgd");
                pgdOfMm.put(pointer(p, "mm"), pgd);
                return new Unpin(cpu, ts, pgd, mode.levels());
            }
            case "xen_mmu_write_cr3":
                return writeCr3(cpu, ts, p);
            case "xen_mmu_flush_tlb":
                return FlushTlb.user(cpu, ts);
            case "xen_mmu_flush_tlb_all":
                return FlushTlb.all(cpu, ts);
            case "xen_mmu_flush_tlb_single":
            case "xen_mmu_flush_tlb_one_user":
                return FlushTlb.one(cpu, ts, vaddr(p, "addr"));
            case "xen_mmu_flush_tlb_others":
            case "xen_mmu_flush_tlb_multi":
                return flushMulti(cpu, ts, p);
            case "xen_mc_batch":
            case "xen_mc_issue":
                return lazyMmu(name, cpu, ts, p);
            case "page_fault_user":
            case "page_fault_kernel":
                return pageFault(name, cpu, ts, p);
            case "xen_mmu_ptep_modify_prot_start":
                tally.skipped("xen_mmu_ptep_modify_prot_start: reads the entry; the commit carries the update");
                return null;
            case "xen_mmu_set_domain_pte":
                tally.skipped("xen_mmu_set_domain_pte: an entry for another domain, not this guest's tables");
                return null;
            default:
                if (name.startsWith("xen_mc_") || name.startsWith("xen_cpu_")) {
                    tally.skipped(name + ": Xen bookkeeping with no MMU request of its own");
                } else {
                    tally.skipped(name + ": not an MMU event this importer knows");
                }
                return null;
        }
    }

    private TraceEvent setPteAt(int cpu, long ts, Payload p, boolean modifyProt, long value) {
        long mmPointer = pointer(p, "mm");
        long va = vaddr(p, "addr");
        long gpa = entry(p, "ptep");
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

    private TraceEvent writeCr3(int cpu, long ts, Payload p) {
        boolean kernel;
        if (p.isKeyValue()) {
            kernel = decimal(p, "kernel") != 0;
        } else if (p.has("kernel") || p.has("user")) {
            kernel = p.has("kernel");
        } else {
            throw bad("kernel", "expected 'kernel cr3 <hex>' or 'user cr3 <hex>' in '" + payloadText(p) + "'");
        }
        long cr3 = hex(p, "cr3");
        if (kernel) {
            kernelCr3[cpu] = cr3;
        }
        return new WriteCr3(cpu, ts, cr3, kernel ? WriteCr3.Root.KERNEL : WriteCr3.Root.USER);
    }

    private TraceEvent flushMulti(int cpu, long ts, Payload p) {
        int ncpus = (int) decimal(p, "ncpus");
        if (ncpus < 0) {
            throw bad("ncpus", "negative cpu count " + ncpus);
        }
        long mm = pgdOfMm.getOrDefault(pointer(p, "mm"), TraceEvent.NO_ADDRESS);
        long start = hex(p, "addr");
        long end = hex(p, "end");
        if (end == TLB_FLUSH_ALL) {
            return new FlushTlb(cpu, ts, FlushTlb.Scope.MULTI, TraceEvent.NO_ADDRESS, TraceEvent.NO_ADDRESS, 0,
                    ncpus, mm);
        }
        long va = canonicalVaddr(start, "addr");
        long vaEnd = canonicalVaddr(end, "end");
        if (vaEnd <= va) {
            throw bad("end", String.format("range end %x does not follow its start %x", end, start));
        }
        return new FlushTlb(cpu, ts, FlushTlb.Scope.MULTI, va, vaEnd, 0, ncpus, mm);
    }

    /**
     * Every batched hypercall starts with xen_mc_batch, which (up to Linux 7.1) prints the lazy
     * mode the cpu is in: the first LAZY_MMU batch opens a window, the first batch outside lazy
     * MMU mode after it closes it. Linux 7.2 prints IRQ flags instead, and its xen_mc_issue says
     * whether the batch went out at once ({@code flush: yes}) or was left for the window's end.
     */
    private TraceEvent lazyMmu(String name, int cpu, long ts, Payload p) {
        Boolean lazy = null;
        if (name.equals("xen_mc_batch")) {
            if (p.has("LAZY_MMU")) {
                lazy = true;
            } else if (p.has("LAZY_NONE") || p.has("LAZY_CPU")) {
                lazy = false;
            } else if (p.isKeyValue() && p.hasValue("mode")) {
                lazy = decimal(p, "mode") == 1; // PARAVIRT_LAZY_MMU / XEN_LAZY_MMU
            } else if (!p.has("flags")) {
                throw bad("mode", "expected 'start batch LAZY_<mode>' in '" + payloadText(p) + "'");
            }
        } else {
            if (p.has("yes") || p.has("no")) {
                lazy = p.has("no");
            } else if (p.isKeyValue() && p.hasValue("flush")) {
                lazy = decimal(p, "flush") == 0;
            }
        }
        if (lazy == null) {
            tally.skipped(name + ": says nothing about the lazy MMU window in this kernel's format");
            return null;
        }
        if (lazy != inLazyMmu[cpu]) {
            inLazyMmu[cpu] = lazy;
            return new LazyMmu(cpu, ts, lazy ? LazyMmu.Phase.ENTER : LazyMmu.Phase.LEAVE);
        }
        tally.skipped(name + ": no change of the lazy MMU window");
        return null;
    }

    private TraceEvent pageFault(String name, int cpu, long ts, Payload p) {
        String address = p.value("address");
        if (address == null) {
            throw bad("address", "missing in '" + payloadText(p) + "'");
        }
        if (!address.startsWith("0x")) {
            tally.skipped(name + ": address printed as a kernel symbol (%ps), its number is lost");
            return null;
        }
        long va = canonicalVaddr(parseHex(address, 2, "address"), "address");
        long ip = 0;
        String ipText = p.value("ip");
        if (ipText != null && ipText.startsWith("0x")) {
            ip = parseHex(ipText, 2, "ip");
        } else {
            tally.approximated(name + ": ip printed as a kernel symbol, imported as 0 (unknown)");
        }
        long error = hex(p, "error_code");
        if (error > 0xffff) {
            throw bad("error_code", "beyond the 16 bits of a #PF error code: " + Long.toHexString(error));
        }
        return new PageFault(cpu, ts, va, (int) error, ip);
    }

    /** alloc/release_ptpage print Linux's enum pt_level; ours is Xen's L1..L4. */
    private int level(Payload p) {
        long v = decimal(p, "level");
        int top = mode.levels();
        int level;
        if (options.legacyPtLevels()) { // PT_PGD, PT_PUD, PT_PMD, PT_PTE
            level = v == 0 ? top : v == 1 ? 3 : v == 2 ? 2 : v == 3 ? 1 : -1;
        } else { // PT_PGD, PT_P4D, PT_PUD, PT_PMD, PT_PTE
            level = v == 0 || v == 1 ? top : v == 2 ? 3 : v == 3 ? 2 : v == 4 ? 1 : -1;
        }
        if (level < 1 || level > top) {
            throw bad("level", "Linux pt_level " + v + " has no page-table level in " + mode.wireName()
                    + (options.legacyPtLevels() ? " (pre-4.12 numbering)" : " (numbering with P4D, Linux 4.12+)"));
        }
        return level;
    }

    private boolean pinned(Payload p) {
        if (p.isKeyValue()) {
            return decimal(p, "pinned") != 0;
        }
        if (p.has("pinned")) {
            return true;
        }
        if (p.has("unpinned")) {
            return false;
        }
        throw bad("pinned", "expected 'pinned' or 'unpinned' in '" + payloadText(p) + "'");
    }

    /** The entry value as the guest sees it (pfn-based): the printed one, never the raw one. */
    private long entryValue(Payload p, String key) {
        if (p.isKeyValue()) {
            if (!options.acceptRawValues()) {
                throw bad(key, "trace-cmd could not evaluate this event's print format, so the line holds only"
                        + " the raw (machine-frame) entry; import the kernel's own text"
                        + " (/sys/kernel/tracing/trace) or, when pfn = mfn, pass --accept-raw-values");
            }
            tally.approximated("raw entry values of [FAILED TO PARSE] lines taken as pfn-based");
        }
        return hex(p, key);
    }

    private long entry(Payload p, String key) {
        long ptr = pointer(p, key);
        if (ptr == 0) {
            throw bad(key, "null entry pointer");
        }
        return gpa(ptr, mode.entryBytes(), key);
    }

    private long optionalEntry(Payload p, String key) {
        long ptr = pointer(p, key);
        return ptr == 0 ? TraceEvent.NO_ADDRESS : gpa(ptr, mode.entryBytes(), key);
    }

    private long table(Payload p, String key) {
        long ptr = pointer(p, key);
        if (ptr == 0) {
            throw bad(key, "null table pointer");
        }
        return gpa(ptr, 4096, key);
    }

    private long gpa(long pointer, int align, String key) {
        long gpa = pointers.toGpa(pointer, align, problem);
        if (gpa < 0) {
            throw bad(key, problem[0]);
        }
        return gpa;
    }

    /** A %p value: hex with or without 0x, (null)/(nil) for 0; (____ptrval____) is a hash not yet keyed. */
    private long pointer(Payload p, String key) {
        String v = p.value(key);
        if (v == null) {
            throw bad(key, "missing in '" + payloadText(p) + "'");
        }
        if (v.equals("(null)") || v.equals("(nil)")) {
            return 0;
        }
        if (v.startsWith("(")) {
            throw bad(key, "pointer printed as " + v + " (hashed before the hash key was ready): "
                    + KernelPointers.HASH_FIX);
        }
        return parseHex(v, v.startsWith("0x") ? 2 : 0, key);
    }

    private long vaddr(Payload p, String key) {
        return canonicalVaddr(hex(p, key), key);
    }

    /** x86-64 vaddrs are kept as printed: canonical, kernel ones negative as a Java long. */
    private long canonicalVaddr(long va, String key) {
        if (mode == PagingMode.FOUR_LEVEL) {
            long top = va >> 47;
            if (top != 0 && top != -1) {
                throw bad(key, String.format("vaddr %x is not a canonical 48-bit address", va));
            }
            return va;
        }
        if ((va >>> 32) != 0) {
            throw bad(key, String.format("vaddr %x does not fit the 32 bits of %s", va, mode.wireName()));
        }
        return va;
    }

    /** A number printed with %lx/%llx (or, in trace-cmd's fallback, 0x-hex or decimal). */
    private long hex(Payload p, String key) {
        String v = p.value(key);
        if (v == null) {
            throw bad(key, "missing in '" + payloadText(p) + "'");
        }
        if (v.startsWith("0x")) {
            return parseHex(v, 2, key);
        }
        return p.isKeyValue() ? parseDecimal(v, key) : parseHex(v, 0, key);
    }

    /** A number printed with %d/%u (or, in trace-cmd's fallback, 0x-hex or decimal). */
    private long decimal(Payload p, String key) {
        String v = p.value(key);
        if (v == null) {
            throw bad(key, "missing in '" + payloadText(p) + "'");
        }
        return v.startsWith("0x") ? parseHex(v, 2, key) : parseDecimal(v, key);
    }

    private long parseHex(String v, int from, String key) {
        int n = v.length();
        if (n == from || n - from > 16) {
            throw bad(key, "bad hex '" + v + "'");
        }
        long r = 0;
        for (int i = from; i < n; i++) {
            int d = Character.digit(v.charAt(i), 16);
            if (d < 0) {
                throw bad(key, "bad hex '" + v + "'");
            }
            r = (r << 4) | d;
        }
        return r;
    }

    private long parseDecimal(String v, String key) {
        boolean negative = v.startsWith("-");
        int from = negative ? 1 : 0;
        if (v.length() == from || v.length() - from > 20) {
            throw bad(key, "bad number '" + v + "'");
        }
        long r = 0;
        for (int i = from; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                throw bad(key, "bad number '" + v + "'");
            }
            r = r * 10 + (c - '0'); // wraps like the unsigned 64-bit value it prints
        }
        return negative ? -r : r;
    }

    private static String payloadText(Payload p) {
        return p.raw();
    }

    private TraceInputException bad(String field, String problemText) {
        return TraceInputException.atLine(source, line, field, problemText);
    }
}
