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
import dev.mmutrace.trace.text.Decimal;
import dev.mmutrace.trace.text.Hex;
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

    private static final String BATCH_KEEPS_WINDOW = Tracepoint.XEN_MC_BATCH.text() + ": no change of the lazy MMU window";
    private static final String ISSUE_KEEPS_WINDOW = Tracepoint.XEN_MC_ISSUE.text() + ": no change of the lazy MMU window";

    FtraceEvents(String source, FtraceOptions options, long pfnLimit, ImportSummary.Tally tally) {
        this.source = source;
        this.mode = options.mode();
        this.options = options;
        this.pointers = new KernelPointers(mode, options.directMapBase(), options.keepHashedPointers(), pfnLimit);
        this.tally = tally;
        Arrays.fill(kernelCr3, TraceEvent.NO_ADDRESS);
    }

    /** The event for one line, or null when the line's event is skipped (and counted). */
    TraceEvent translate(Tracepoint name, int cpu, long ts, Payload p, long lineNumber) {
        this.line = lineNumber;
        switch (name) {
            case XEN_MMU_SET_PTE:
            case XEN_MMU_SET_PTE_ATOMIC:
                return new SetPte(cpu, ts, entry(p, PayloadWord.PTEP), entryValue(p, PayloadWord.PTEVAL));
            case XEN_MMU_SET_PTE_AT:
                return setPteAt(cpu, ts, p, false, entryValue(p, PayloadWord.PTEVAL));
            case XEN_MMU_PTE_CLEAR:
                return setPteAt(cpu, ts, p, false, 0);
            case XEN_MMU_PTEP_MODIFY_PROT_COMMIT:
                return setPteAt(cpu, ts, p, true, entryValue(p, PayloadWord.PTEVAL));
            case XEN_MMU_SET_PMD:
                return new SetPmd(cpu, ts, entry(p, PayloadWord.PMDP), entryValue(p, PayloadWord.PMDVAL));
            case XEN_MMU_PMD_CLEAR:
                return new SetPmd(cpu, ts, entry(p, PayloadWord.PMDP), 0);
            case XEN_MMU_SET_PUD:
                return new SetPud(cpu, ts, entry(p, PayloadWord.PUDP), entryValue(p, PayloadWord.PUDVAL));
            case XEN_MMU_PUD_CLEAR:
                return new SetPud(cpu, ts, entry(p, PayloadWord.PUDP), 0);
            case XEN_MMU_SET_P4D:
                return new SetPgd(cpu, ts, entry(p, PayloadWord.P4DP), entryValue(p, PayloadWord.P4DVAL), optionalEntry(p, PayloadWord.USER_P4DP));
            case XEN_MMU_SET_PGD:
                return new SetPgd(cpu, ts, entry(p, PayloadWord.PGDP), entryValue(p, PayloadWord.PGDVAL), optionalEntry(p, PayloadWord.USER_PGDP));
            case XEN_MMU_PGD_CLEAR:
                return new SetPgd(cpu, ts, entry(p, PayloadWord.PGDP), 0, TraceEvent.NO_ADDRESS);
            case XEN_MMU_ALLOC_PTPAGE:
                return new AllocPt(cpu, ts, hex(p, PayloadWord.PFN), level(p), pinned(p));
            case XEN_MMU_RELEASE_PTPAGE:
                return new ReleasePt(cpu, ts, hex(p, PayloadWord.PFN), level(p), pinned(p));
            case XEN_MMU_PGD_PIN: {
                long pgd = table(p, PayloadWord.PGD);
                pgdOfMm.put(pointer(p, PayloadWord.MM), pgd);
                return new Pin(cpu, ts, pgd, mode.levels());
            }
            case XEN_MMU_PGD_UNPIN: {
                long pgd = table(p, PayloadWord.PGD);
                pgdOfMm.put(pointer(p, PayloadWord.MM), pgd);
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
                return FlushTlb.one(cpu, ts, vaddr(p, PayloadWord.ADDR));
            case XEN_MMU_FLUSH_TLB_OTHERS:
            case XEN_MMU_FLUSH_TLB_MULTI:
                return flushMulti(cpu, ts, p);
            case XEN_MC_BATCH:
            case XEN_MC_ISSUE:
                return lazyMmu(name, cpu, ts, p);
            case PAGE_FAULT_USER:
            case PAGE_FAULT_KERNEL:
                return pageFault(name, cpu, ts, p);
            case XEN_MMU_PTEP_MODIFY_PROT_START:
                tally.skipped("xen_mmu_ptep_modify_prot_start: reads the entry; the commit carries the update");
                return null;
            case XEN_MMU_SET_DOMAIN_PTE:
                tally.skipped("xen_mmu_set_domain_pte: an entry for another domain, not this guest's tables");
                return null;
            default:
                throw new AssertionError(name);
        }
    }

    /** Counts a line whose event name the importer does not know. */
    void skipUnknown(String name) {
        if (name.startsWith("xen_mc_") || name.startsWith("xen_cpu_")) {
            tally.skipped(name + ": Xen bookkeeping with no MMU request of its own");
        } else {
            tally.skipped(name + ": not an MMU event this importer knows");
        }
    }

    private TraceEvent setPteAt(int cpu, long ts, Payload p, boolean modifyProt, long value) {
        long mmPointer = pointer(p, PayloadWord.MM);
        long va = vaddr(p, PayloadWord.ADDR);
        long gpa = entry(p, PayloadWord.PTEP);
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
            kernel = decimal(p, PayloadWord.KERNEL) != 0;
        } else if (p.has(PayloadWord.KERNEL) || p.has(PayloadWord.USER)) {
            kernel = p.has(PayloadWord.KERNEL);
        } else {
            throw bad("kernel", "expected 'kernel cr3 <hex>' or 'user cr3 <hex>' in '" + payloadText(p) + "'");
        }
        long cr3 = hex(p, PayloadWord.CR3);
        if (kernel) {
            kernelCr3[cpu] = cr3;
        }
        return new WriteCr3(cpu, ts, cr3, kernel ? WriteCr3.Root.KERNEL : WriteCr3.Root.USER);
    }

    private TraceEvent flushMulti(int cpu, long ts, Payload p) {
        int ncpus = (int) decimal(p, PayloadWord.NCPUS);
        if (ncpus < 0) {
            throw bad("ncpus", "negative cpu count " + ncpus);
        }
        long mm = pgdOfMm.getOrDefault(pointer(p, PayloadWord.MM), TraceEvent.NO_ADDRESS);
        long start = hex(p, PayloadWord.ADDR);
        long end = hex(p, PayloadWord.END);
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
    private TraceEvent lazyMmu(Tracepoint name, int cpu, long ts, Payload p) {
        Boolean lazy = null;
        if (name == Tracepoint.XEN_MC_BATCH) {
            if (p.has(PayloadWord.LAZY_MMU)) {
                lazy = true;
            } else if (p.has(PayloadWord.LAZY_NONE) || p.has(PayloadWord.LAZY_CPU)) {
                lazy = false;
            } else if (p.isKeyValue() && p.hasValue(PayloadWord.MODE)) {
                lazy = decimal(p, PayloadWord.MODE) == 1; // PARAVIRT_LAZY_MMU / XEN_LAZY_MMU
            } else if (!p.has(PayloadWord.FLAGS)) {
                throw bad("mode", "expected 'start batch LAZY_<mode>' in '" + payloadText(p) + "'");
            }
        } else {
            if (p.has(PayloadWord.YES) || p.has(PayloadWord.NO)) {
                lazy = p.has(PayloadWord.NO);
            } else if (p.isKeyValue() && p.hasValue(PayloadWord.FLUSH)) {
                lazy = decimal(p, PayloadWord.FLUSH) == 0;
            }
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

    private TraceEvent pageFault(Tracepoint name, int cpu, long ts, Payload p) {
        int address = p.valueOf(PayloadWord.ADDRESS);
        if (address < 0) {
            throw bad("address", "missing in '" + payloadText(p) + "'");
        }
        if (!p.valueStartsWith(address, "0x")) {
            tally.skipped(name.text() + ": address printed as a kernel symbol (%ps), its number is lost");
            return null;
        }
        long va = canonicalVaddr(parseHex(p, address, 2, PayloadWord.ADDRESS), "address");
        long ip = 0;
        int ipField = p.valueOf(PayloadWord.IP);
        if (ipField >= 0 && p.valueStartsWith(ipField, "0x")) {
            ip = parseHex(p, ipField, 2, PayloadWord.IP);
        } else {
            tally.approximated(name.text() + ": ip printed as a kernel symbol, imported as 0 (unknown)");
        }
        long error = hex(p, PayloadWord.ERROR_CODE);
        if (error > 0xffff) {
            throw bad("error_code", "beyond the 16 bits of a #PF error code: " + Long.toHexString(error));
        }
        return new PageFault(cpu, ts, va, (int) error, ip);
    }

    /** alloc/release_ptpage print Linux's enum pt_level; ours is Xen's L1..L4. */
    private int level(Payload p) {
        long v = decimal(p, PayloadWord.LEVEL);
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
            return decimal(p, PayloadWord.PINNED) != 0;
        }
        if (p.has(PayloadWord.PINNED)) {
            return true;
        }
        if (p.has(PayloadWord.UNPINNED)) {
            return false;
        }
        throw bad("pinned", "expected 'pinned' or 'unpinned' in '" + payloadText(p) + "'");
    }

    /** The entry value as the guest sees it (pfn-based): the printed one, never the raw one. */
    private long entryValue(Payload p, PayloadWord key) {
        if (p.isKeyValue()) {
            if (!options.acceptRawValues()) {
                throw bad(key.text(), "trace-cmd could not evaluate this event's print format, so the line holds only"
                        + " the raw (machine-frame) entry; import the kernel's own text"
                        + " (/sys/kernel/tracing/trace) or, when pfn = mfn, pass --accept-raw-values");
            }
            tally.approximated("raw entry values of [FAILED TO PARSE] lines taken as pfn-based");
        }
        return hex(p, key);
    }

    private long entry(Payload p, PayloadWord key) {
        long ptr = pointer(p, key);
        if (ptr == 0) {
            throw bad(key.text(), "null entry pointer");
        }
        return gpa(ptr, mode.entryBytes(), key);
    }

    private long optionalEntry(Payload p, PayloadWord key) {
        long ptr = pointer(p, key);
        return ptr == 0 ? TraceEvent.NO_ADDRESS : gpa(ptr, mode.entryBytes(), key);
    }

    private long table(Payload p, PayloadWord key) {
        long ptr = pointer(p, key);
        if (ptr == 0) {
            throw bad(key.text(), "null table pointer");
        }
        return gpa(ptr, 4096, key);
    }

    private long gpa(long pointer, int align, PayloadWord key) {
        long gpa = pointers.toGpa(pointer, align, problem);
        if (gpa < 0) {
            throw bad(key.text(), problem[0]);
        }
        return gpa;
    }

    /** A %p value: hex with or without 0x, (null)/(nil) for 0; (____ptrval____) is a hash not yet keyed. */
    private long pointer(Payload p, PayloadWord key) {
        int f = present(p, key);
        if (p.valueStartsWith(f, "(")) {
            if (p.valueIs(f, "(null)") || p.valueIs(f, "(nil)")) {
                return 0;
            }
            throw bad(key.text(), "pointer printed as " + p.valueText(f) + " (hashed before the hash key was ready): "
                    + KernelPointers.HASH_FIX);
        }
        return parseHex(p, f, p.valueStartsWith(f, "0x") ? 2 : 0, key);
    }

    private long vaddr(Payload p, PayloadWord key) {
        return canonicalVaddr(hex(p, key), key.text());
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
    private long hex(Payload p, PayloadWord key) {
        int f = present(p, key);
        if (p.valueStartsWith(f, "0x")) {
            return parseHex(p, f, 2, key);
        }
        return p.isKeyValue() ? parseDecimal(p, f, key) : parseHex(p, f, 0, key);
    }

    /** A number printed with %d/%u (or, in trace-cmd's fallback, 0x-hex or decimal). */
    private long decimal(Payload p, PayloadWord key) {
        int f = present(p, key);
        return p.valueStartsWith(f, "0x") ? parseHex(p, f, 2, key) : parseDecimal(p, f, key);
    }

    /** The field holding {@code key}'s value; a missing one is bad input. */
    private int present(Payload p, PayloadWord key) {
        int f = p.valueOf(key);
        if (f < 0) {
            throw bad(key.text(), "missing in '" + payloadText(p) + "'");
        }
        return f;
    }

    /**
     * The value of field {@code f} as hex after {@code skip} prefix bytes, read from the bytes.
     * Anything but 1 to 16 ASCII hex digits goes to {@link Hex#valueOf}, which either refuses it or
     * (for digits beyond ASCII, which {@link Character#digit} accepts) reads it.
     */
    private long parseHex(Payload p, int f, int skip, PayloadWord key) {
        int from = p.valueStart(f) + skip;
        int to = p.valueEnd(f);
        if (Hex.isNumber(p.bytes(), from, to)) {
            return Hex.value(p.bytes(), from, to);
        }
        String v = p.valueText(f);
        return Hex.valueOf(v, skip).orElseThrow(() -> bad(key.text(), "bad hex '" + v + "'"));
    }

    /** A decimal value, optionally negative, wrapping like the unsigned 64-bit value it prints. */
    private long parseDecimal(Payload p, int f, PayloadWord key) {
        byte[] b = p.bytes();
        int from = p.valueStart(f);
        int to = p.valueEnd(f);
        boolean negative = to > from && b[from] == '-';
        if (negative) {
            from++;
        }
        if (to - from > 20 || !Decimal.isNumber(b, from, to)) {
            throw bad(key.text(), "bad number '" + p.valueText(f) + "'");
        }
        long r = Decimal.value(b, from, to);
        return negative ? -r : r;
    }

    private static String payloadText(Payload p) {
        return p.raw();
    }

    private TraceInputException bad(String field, String problemText) {
        return TraceInputException.atLine(source, line, field, problemText);
    }
}
