package dev.mmutrace.bench;

import dev.mmutrace.trace.AllocPt;
import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.Gap;
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

/**
 * Renders trace events as the lines a 4level Xen PV guest's kernel {@code trace} file would hold
 * (the TP_printk formats of tracepoints.md §1), so the ftrace importer can be timed on generated
 * input. Only for the benchmark: pointers are the direct map's (base + gpa, hashing off), an
 * {@code mm} pointer is its pgd's direct-map address, and the two events the kernel never traces
 * ({@code access}, {@code set_stack}) and pins below the top level have no line ({@link #line}
 * returns null for them).
 */
final class FtraceText {
    private static final String TASK = "      mmutrace-4242    ";

    private final long base;
    private final StringBuilder sb = new StringBuilder(160);

    FtraceText(PagingMode mode) {
        if (mode != PagingMode.FOUR_LEVEL) {
            throw new IllegalArgumentException("the benchmark renders 4level traces only, got " + mode.wireName());
        }
        this.base = mode.defaultPageOffset();
    }

    /** The line for event number {@code index} (its timestamp, in microseconds), or null when it has none. */
    String line(long index, TraceEvent e) {
        sb.setLength(0);
        if (e instanceof Gap g) {
            // the kernel's own lost-events line, which stands before the cpu's next event
            sb.append("CPU:").append(g.cpu()).append(" [LOST ");
            if (g.lostEvents().isPresent()) {
                sb.append(g.lostEvents().getAsLong()).append(' ');
            }
            return sb.append("EVENTS]").toString();
        }
        sb.append(TASK).append('[');
        pad(e.cpu(), 3);
        sb.append("] d.... ").append(index / 1_000_000).append('.');
        pad(index % 1_000_000, 6);
        sb.append(": ");
        switch (e.type()) {
            case SET_PTE -> {
                SetPte s = (SetPte) e;
                sb.append("xen_mmu_set_pte: ptep ").append(hex(base + s.entryGpa()));
                value("pteval", s.value());
            }
            case SET_PTE_AT -> {
                SetPteAt s = (SetPteAt) e;
                sb.append("xen_mmu_set_pte_at: ");
                entryAt(s.mm(), s.vaddr(), s.entryGpa(), s.value());
            }
            case PTEP_MODIFY_PROT -> {
                PtepModifyProt s = (PtepModifyProt) e;
                sb.append("xen_mmu_ptep_modify_prot_commit: ");
                entryAt(s.mm(), s.vaddr(), s.entryGpa(), s.value());
            }
            case SET_PMD -> {
                SetPmd s = (SetPmd) e;
                sb.append("xen_mmu_set_pmd: pmdp ").append(hex(base + s.entryGpa()));
                value("pmdval", s.value());
            }
            case SET_PUD -> {
                SetPud s = (SetPud) e;
                sb.append("xen_mmu_set_pud: pudp ").append(hex(base + s.entryGpa()));
                value("pudval", s.value());
            }
            case SET_PGD -> {
                SetPgd s = (SetPgd) e;
                sb.append("xen_mmu_set_p4d: p4dp ").append(hex(base + s.entryGpa())).append(" user_p4dp ")
                        .append(s.hasUserEntry() ? hex(base + s.userEntryGpa()) : "(null)");
                value("p4dval", s.value());
            }
            case WRITE_CR3 -> {
                WriteCr3 w = (WriteCr3) e;
                sb.append("xen_mmu_write_cr3: ").append(w.root() == WriteCr3.Root.KERNEL ? "kernel" : "user")
                        .append(" cr3 ").append(hex(w.pgd()));
            }
            case PIN -> {
                if (!pgdPin("xen_mmu_pgd_pin", ((Pin) e).tableGpa(), ((Pin) e).level())) {
                    return null;
                }
            }
            case UNPIN -> {
                if (!pgdPin("xen_mmu_pgd_unpin", ((Unpin) e).tableGpa(), ((Unpin) e).level())) {
                    return null;
                }
            }
            case ALLOC_PT -> {
                AllocPt a = (AllocPt) e;
                ptpage("xen_mmu_alloc_ptpage", a.pfn(), a.level(), a.pinned());
            }
            case RELEASE_PT -> {
                ReleasePt r = (ReleasePt) e;
                ptpage("xen_mmu_release_ptpage", r.pfn(), r.level(), r.pinned());
            }
            case FLUSH_TLB -> flush((FlushTlb) e);
            case LAZY_MMU -> sb.append("xen_mc_batch: start batch LAZY_")
                    .append(((LazyMmu) e).phase() == LazyMmu.Phase.ENTER ? "MMU" : "NONE");
            case PAGE_FAULT -> {
                PageFault f = (PageFault) e;
                sb.append(f.user() ? "page_fault_user" : "page_fault_kernel").append(": address=0x")
                        .append(hex(f.vaddr())).append(" ip=0x").append(hex(f.ip())).append(" error_code=0x")
                        .append(hex(f.errorCode()));
            }
            default -> {
                return null;
            }
        }
        return sb.toString();
    }

    private void entryAt(long mm, long vaddr, long entryGpa, long value) {
        sb.append("mm ").append(mm == TraceEvent.NO_ADDRESS ? "(null)" : hex(base + mm)).append(" addr ")
                .append(hex(vaddr)).append(" ptep ").append(hex(base + entryGpa));
        value("pteval", value);
    }

    /** Linux's enum pt_level since 4.12: PGD 0, P4D 1, PUD 2, PMD 3, PTE 4. */
    /**
     * A pgd pin or unpin line: ftrace has one only for a whole tree (level 4), so false, and no
     * line, for any other level.
     */
    private boolean pgdPin(String name, long tableGpa, int level) {
        if (level != 4) {
            return false;
        }
        sb.append(name).append(": mm ").append(hex(base + tableGpa)).append(" pgd ").append(hex(base + tableGpa));
        return true;
    }

    private void ptpage(String name, long pfn, int level, boolean pinned) {
        sb.append(name).append(": mm ").append(hex(base)).append("  pfn ").append(hex(pfn)).append("  level ")
                .append(level == 4 ? 0 : 5 - level).append("  ").append(pinned ? "" : "un").append("pinned");
    }

    private void flush(FlushTlb f) {
        switch (f.scope()) {
            case USER -> sb.append("xen_mmu_flush_tlb: ");
            case ALL -> sb.append("xen_mmu_flush_tlb_all: ");
            case ONE -> sb.append("xen_mmu_flush_tlb_one_user: addr ").append(hex(f.vaddr()));
            case MULTI -> sb.append("xen_mmu_flush_tlb_multi: ncpus ")
                    .append(f.cpuCount() > 0 ? f.cpuCount() : Long.bitCount(f.cpus())).append(" mm ")
                    .append(f.mm() == TraceEvent.NO_ADDRESS ? "(null)" : hex(base + f.mm())).append(" addr ")
                    .append(f.isFullRange() ? "0" : hex(f.vaddr())).append(", end ")
                    .append(f.isFullRange() ? "ffffffffffffffff" : hex(f.vaddrEnd()));
            default -> throw new AssertionError(f.scope());
        }
    }

    /** {@code key %016llx (raw %016llx)}; the raw (machine) value is not what the importer reads. */
    private void value(String key, long v) {
        String h = String.format("%016x", v);
        sb.append(' ').append(key).append(' ').append(h).append(" (raw ").append(h).append(')');
    }

    private void pad(long v, int width) {
        String s = Long.toString(v);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        sb.append(s);
    }

    private static String hex(long v) {
        return Long.toHexString(v);
    }
}
