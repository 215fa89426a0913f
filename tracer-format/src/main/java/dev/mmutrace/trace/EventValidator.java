package dev.mmutrace.trace;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableSet;
import dev.mmutrace.trace.TraceInputException.Unit;

/**
 * The checks an event must pass against its trace's header before anything replays it: the ones
 * a record cannot make alone because they depend on the paging mode or the vCPU count. Every
 * reader and importer runs each event through one of these, so "impossible value" means the same
 * thing whatever the input format (SPEC §11).
 *
 * <p>What is rejected here is what no guest could have done: a vCPU the header does not have, an
 * entry store at a gpa that is not an entry boundary or lies outside guest memory, a level the
 * mode does not have, a 32-bit mode value wider than 32 bits, a non-canonical x86-64 address,
 * flush fields that do not belong to the flush's scope. What a guest could do but a hypervisor
 * would refuse (an entry pointing beyond {@code pfn_limit}, a bad flag) is not checked: that is
 * guest misbehaviour, and the models report it.
 */
public final class EventValidator {

    /** Every field name an event can have, as both formats and error messages spell it. */
    public static final ImmutableSet<String> FIELD_NAMES = ImmutableSet.of("event", "cpu", "timestamp_ns",
            "mm", "vaddr", "entry_gpa", "value", "user_entry_gpa", "pgd", "root", "error_code", "ip",
            "table_gpa", "level", "pfn", "pinned", "scope", "vaddr_end", "cpus", "cpu_count", "phase",
            "pages", "kind", "user");

    private static final long LOW_32 = 0xffff_ffffL;

    private final PagingMode mode;
    private final int vcpus;
    private final long memoryBytes;
    private final long topTableAlign;

    public EventValidator(TraceHeader header) {
        requireNonNull(header, "header");
        this.mode = header.pagingMode();
        this.vcpus = header.vcpus();
        // pfn_limit << 12 overflows only past 2^52 frames, more than MAXPHYADDR allows anyway
        this.memoryBytes = header.pfnLimit() >= (1L << 51) ? Long.MAX_VALUE : header.pfnLimit() << 12;
        // a PAE cr3 names a 32-byte PDPT; the other modes' top tables are whole pages
        this.topTableAlign = mode == PagingMode.PAE ? 32 : 4096;
    }

    /**
     * Checks {@code event}; throws a {@link TraceInputException} at {@code unit} {@code position}
     * of {@code source} naming the first field that is impossible.
     */
    public void check(TraceEvent event, String source, Unit unit, long position) {
        String problem = problemWith(event);
        if (problem != null) {
            int colon = problem.indexOf(':');
            throw new TraceInputException(source, unit, position, problem.substring(0, colon),
                    problem.substring(colon + 2));
        }
    }

    /**
     * The exception for a record constructor's refusal (an {@link IllegalArgumentException} whose
     * message starts with the field name, as the records' checks write them).
     */
    public static TraceInputException rejection(IllegalArgumentException refusal, String source, Unit unit,
            long position) {
        String message = String.valueOf(refusal.getMessage());
        int space = message.indexOf(' ');
        String first = space < 0 ? message : message.substring(0, space);
        String field = FIELD_NAMES.contains(first) ? first : TraceInputException.NO_FIELD;
        return new TraceInputException(source, unit, position, field, message);
    }

    /** "field: problem" for the first impossible field, or null when the event is possible. */
    private String problemWith(TraceEvent event) {
        if (event.cpu() >= vcpus) {
            return "cpu: vCPU " + event.cpu() + " but the header has " + vcpus + " (0.." + (vcpus - 1) + ")";
        }
        switch (event.type()) {
            case SET_PTE: {
                SetPte e = (SetPte) event;
                return firstOf(entryGpa("entry_gpa", e.entryGpa()), value(e.value()));
            }
            case SET_PTE_AT: {
                SetPteAt e = (SetPteAt) event;
                return firstOf(topTable("mm", e.mm()), vaddr("vaddr", e.vaddr()),
                        entryGpa("entry_gpa", e.entryGpa()), value(e.value()));
            }
            case PTEP_MODIFY_PROT: {
                PtepModifyProt e = (PtepModifyProt) event;
                return firstOf(topTable("mm", e.mm()), vaddr("vaddr", e.vaddr()),
                        entryGpa("entry_gpa", e.entryGpa()), value(e.value()));
            }
            case SET_PMD: {
                SetPmd e = (SetPmd) event;
                return firstOf(entryGpa("entry_gpa", e.entryGpa()), value(e.value()));
            }
            case SET_PUD: {
                SetPud e = (SetPud) event;
                return firstOf(entryGpa("entry_gpa", e.entryGpa()), value(e.value()));
            }
            case SET_PGD:
                return setPgd((SetPgd) event);
            case WRITE_CR3: {
                WriteCr3 e = (WriteCr3) event;
                if (e.root() == WriteCr3.Root.USER && mode != PagingMode.FOUR_LEVEL) {
                    return "root: only 4level guests keep a user root, this trace is " + mode;
                }
                return topTable("pgd", e.pgd());
            }
            case PAGE_FAULT: {
                PageFault e = (PageFault) event;
                return firstOf(vaddr("vaddr", e.vaddr()), vaddr("ip", e.ip()));
            }
            case PIN:
                return firstOf(topTable("table_gpa", ((Pin) event).tableGpa()), level(((Pin) event).level()));
            case UNPIN:
                return firstOf(topTable("table_gpa", ((Unpin) event).tableGpa()),
                        level(((Unpin) event).level()));
            case ALLOC_PT:
                return firstOf(pfn(((AllocPt) event).pfn()), level(((AllocPt) event).level()));
            case RELEASE_PT:
                return firstOf(pfn(((ReleasePt) event).pfn()), level(((ReleasePt) event).level()));
            case FLUSH_TLB:
                return flush((FlushTlb) event);
            case SET_STACK:
                return vaddr("vaddr", ((SetStack) event).vaddr());
            case ACCESS:
                return vaddr("vaddr", ((Access) event).vaddr());
            case LAZY_MMU:
                return null;
            default:
                throw new AssertionError(event.type());
        }
    }

    private String setPgd(SetPgd e) {
        String problem = firstOf(entryGpa("entry_gpa", e.entryGpa()), value(e.value()));
        if (problem != null || !e.hasUserEntry()) {
            return problem;
        }
        if (mode != PagingMode.FOUR_LEVEL) {
            return "user_entry_gpa: only 4level guests keep a user top table, this trace is " + mode;
        }
        return entryGpa("user_entry_gpa", e.userEntryGpa());
    }

    private String flush(FlushTlb e) {
        boolean multi = e.scope() == FlushTlb.Scope.MULTI;
        if (!multi) {
            String scope = e.scope().wireName();
            if (e.mm() != TraceEvent.NO_ADDRESS) {
                return "mm: only a multi flush names an address space, this is " + scope;
            }
            if (e.vaddrEnd() != TraceEvent.NO_ADDRESS) {
                return "vaddr_end: only a multi flush has a range, this is " + scope;
            }
            if (e.cpus() != 0) {
                return "cpus: only a multi flush has target vCPUs, this is " + scope;
            }
            if (e.cpuCount() != 0) {
                return "cpu_count: only a multi flush has target vCPUs, this is " + scope;
            }
            if (e.scope() != FlushTlb.Scope.ONE && e.vaddr() != TraceEvent.NO_ADDRESS) {
                return "vaddr: a flush of scope " + scope + " has no address";
            }
        }
        if (e.vaddr() != TraceEvent.NO_ADDRESS) {
            String problem = vaddr("vaddr", e.vaddr());
            if (problem != null) {
                return problem;
            }
        }
        if (e.vaddrEnd() != TraceEvent.NO_ADDRESS) {
            // the end is exclusive: the last byte flushed is vaddr_end - 1
            String problem = vaddr("vaddr_end", e.vaddrEnd() - 1);
            if (problem != null) {
                return problem;
            }
        }
        if (multi) {
            if (vcpus < 64 && (e.cpus() >>> vcpus) != 0) {
                return "cpus: target set " + hex(e.cpus()) + " names a vCPU >= " + vcpus;
            }
            if (e.cpuCount() > vcpus) {
                return "cpu_count: " + e.cpuCount() + " targets but the header has " + vcpus + " vCPUs";
            }
            if (e.mm() != TraceEvent.NO_ADDRESS) {
                return topTable("mm", e.mm());
            }
        }
        return null;
    }

    /** A store's slot: an entry boundary of the mode, inside guest memory. */
    private String entryGpa(String field, long gpa) {
        if ((gpa & (mode.entryBytes() - 1)) != 0) {
            return field + ": " + hex(gpa) + " is not aligned to the " + mode.entryBytes() + "-byte entries of "
                    + mode;
        }
        if (Long.compareUnsigned(gpa, memoryBytes) >= 0) {
            return field + ": " + hex(gpa) + " lies beyond guest memory (pfn_limit " + hex(memoryBytes >>> 12)
                    + ")";
        }
        return null;
    }

    /** An entry value: 32 bits wide in 2level, anything in the 8-byte-entry modes. */
    private String value(long value) {
        if (mode == PagingMode.TWO_LEVEL && (value & ~LOW_32) != 0) {
            return "value: " + hex(value) + " does not fit the 32-bit entries of 2level";
        }
        return null;
    }

    /** The gpa of a top-level table (cr3, an mm, a pinned tree). */
    private String topTable(String field, long gpa) {
        if ((gpa & (topTableAlign - 1)) != 0) {
            return field + ": " + hex(gpa) + " is not aligned to " + topTableAlign + " bytes, as a " + mode
                    + " top table must be";
        }
        // cr3 is a 32-bit register outside long mode, even with PAE's wider entries
        if (mode != PagingMode.FOUR_LEVEL && (gpa & ~LOW_32) != 0) {
            return field + ": " + hex(gpa) + " does not fit the 32-bit cr3 of " + mode;
        }
        return null;
    }

    private String vaddr(String field, long vaddr) {
        if (mode == PagingMode.FOUR_LEVEL) {
            // canonical: bits 63..47 are copies of bit 47
            long top = vaddr >> 47;
            if (top != 0 && top != -1) {
                return field + ": " + hex(vaddr) + " is not a canonical 48-bit address";
            }
        } else if ((vaddr & ~LOW_32) != 0) {
            return field + ": " + hex(vaddr) + " does not fit the 32-bit addresses of " + mode;
        }
        return null;
    }

    private String pfn(long pfn) {
        if (mode == PagingMode.TWO_LEVEL && pfn > (LOW_32 >>> 12)) {
            return "pfn: " + hex(pfn) + " does not fit the 32-bit physical addresses of 2level";
        }
        return null;
    }

    private String level(int level) {
        if (level > mode.levels()) {
            return "level: " + level + " but " + mode + " has levels 1.." + mode.levels();
        }
        return null;
    }

    // Fixed arities rather than varargs: no array per event on the reading path.
    private static String firstOf(String a, String b) {
        return a != null ? a : b;
    }

    private static String firstOf(String a, String b, String c, String d) {
        return a != null ? a : b != null ? b : c != null ? c : d;
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
