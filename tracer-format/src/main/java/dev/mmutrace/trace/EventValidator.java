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
            "pages", "kind", "user", "lost_events");

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
     * The value a check of {@link #column} applies to: every field of that kind, whatever its
     * event, is checked alike by {@link #check}.
     */
    public enum ColumnRule {
        /** A vCPU: below the header's count (and so a small non-negative int). */
        CPU,
        /** An entry store's gpa ({@code entry_gpa}). */
        ENTRY_GPA,
        /** An entry value. */
        VALUE,
        /** A top table's gpa: {@code mm} of an entry update, {@code pgd}, {@code table_gpa}. */
        TOP_TABLE,
        /** A virtual address: {@code vaddr} of an entry update, fault, stack or access, and a fault's {@code ip}. */
        VADDR,
        /** {@code user_entry_gpa} of set_pgd, -1 when absent. */
        USER_ENTRY_GPA,
        /** A table level. */
        LEVEL,
        /** A page frame number. */
        PFN
    }

    /**
     * True when {@code values[0, count)}, every value of one field across many events, would pass
     * this validator's checks of that field in each event (a batch reader checks its columns at
     * once so). False says only that some value might not: the caller then checks each event.
     * What {@link #check} checks across fields (a flush's fields against its scope, a user root
     * outside 4level) is not covered here.
     */
    public boolean column(ColumnRule rule, long[] values, int count) {
        boolean all = true;
        switch (rule) {
            case CPU:
                for (int i = 0; i < count; i++) {
                    all &= values[i] >= 0 && values[i] < vcpus;
                }
                return all;
            case ENTRY_GPA:
                for (int i = 0; i < count; i++) {
                    all &= isEntryGpa(values[i]);
                }
                return all;
            case VALUE:
                for (int i = 0; i < count; i++) {
                    all &= isValue(values[i]);
                }
                return all;
            case TOP_TABLE:
                for (int i = 0; i < count; i++) {
                    all &= isTopTable(values[i]);
                }
                return all;
            case VADDR:
                for (int i = 0; i < count; i++) {
                    all &= isVaddr(values[i]);
                }
                return all;
            case USER_ENTRY_GPA:
                for (int i = 0; i < count; i++) {
                    all &= values[i] == TraceEvent.NO_ADDRESS
                            || (mode == PagingMode.FOUR_LEVEL && isEntryGpa(values[i]));
                }
                return all;
            case LEVEL:
                for (int i = 0; i < count; i++) {
                    all &= values[i] >= 1 && isLevel(values[i]);
                }
                return all;
            case PFN:
                for (int i = 0; i < count; i++) {
                    all &= isPfn(values[i]);
                }
                return all;
            default:
                throw new AssertionError(rule);
        }
    }

    /**
     * True when {@link #check} looks at an event of {@code type} across its fields, beyond what
     * {@link #column} checks field by field: such events are checked one by one even when every
     * column passed.
     */
    public boolean checksAcrossFields(EventType type) {
        return type == EventType.FLUSH_TLB || (type == EventType.WRITE_CR3 && mode != PagingMode.FOUR_LEVEL);
    }

    /**
     * The exception for a record constructor's refusal (an {@link IllegalArgumentException} whose
     * message starts with the field name, as the records' checks write them).
     */
    public static TraceInputException rejection(IllegalArgumentException refusal, String source, Unit unit,
            long position) {
        return TraceInputException.ofRefusal(refusal, FIELD_NAMES, source, unit, position);
    }

    /**
     * "field: problem" for the first impossible field, or null when the event is possible. One
     * type test per record class, most common first, picks the event's checks, and the cpu is read
     * through the record's own accessor: asking {@link TraceEvent} for {@code cpu()} and
     * {@code type()} would be two megamorphic interface calls per event (a dozen record classes).
     * The cpu comes first, but is checked once after the cases rather than in each.
     */
    private String problemWith(TraceEvent event) {
        int cpu;
        String problem;
        if (event instanceof SetPteAt e) {
            cpu = e.cpu();
            problem = firstOf(topTable("mm", e.mm()), vaddr("vaddr", e.vaddr()), entryGpa("entry_gpa", e.entryGpa()),
                    value(e.value()));
        } else if (event instanceof SetPmd e) {
            cpu = e.cpu();
            problem = firstOf(entryGpa("entry_gpa", e.entryGpa()), value(e.value()));
        } else if (event instanceof AllocPt e) {
            cpu = e.cpu();
            problem = firstOf(pfn(e.pfn()), level(e.level()));
        } else if (event instanceof ReleasePt e) {
            cpu = e.cpu();
            problem = firstOf(pfn(e.pfn()), level(e.level()));
        } else if (event instanceof SetPgd e) {
            cpu = e.cpu();
            problem = setPgd(e);
        } else if (event instanceof SetPte e) {
            cpu = e.cpu();
            problem = firstOf(entryGpa("entry_gpa", e.entryGpa()), value(e.value()));
        } else if (event instanceof SetPud e) {
            cpu = e.cpu();
            problem = firstOf(entryGpa("entry_gpa", e.entryGpa()), value(e.value()));
        } else if (event instanceof PageFault e) {
            cpu = e.cpu();
            problem = firstOf(vaddr("vaddr", e.vaddr()), vaddr("ip", e.ip()));
        } else if (event instanceof WriteCr3 e) {
            cpu = e.cpu();
            problem = writeCr3(e);
        } else if (event instanceof LazyMmu e) {
            cpu = e.cpu();
            problem = null;
        } else {
            cpu = event.cpu(); // these few through the interface
            problem = rarer(event);
        }
        return cpu < vcpus ? problem : cpuProblem(cpu);
    }

    private String cpuProblem(int cpu) {
        return "cpu: vCPU " + cpu + " but the header has " + vcpus + " (0.." + (vcpus - 1) + ")";
    }

    /** The fields' problem for the kinds a trace holds few of, kept out of the hot method. */
    private String rarer(TraceEvent event) {
        if (event instanceof FlushTlb e) {
            return flush(e);
        }
        if (event instanceof Pin e) {
            return firstOf(topTable("table_gpa", e.tableGpa()), level(e.level()));
        }
        if (event instanceof Unpin e) {
            return firstOf(topTable("table_gpa", e.tableGpa()), level(e.level()));
        }
        if (event instanceof PtepModifyProt e) {
            return firstOf(topTable("mm", e.mm()), vaddr("vaddr", e.vaddr()), entryGpa("entry_gpa", e.entryGpa()),
                    value(e.value()));
        }
        if (event instanceof Access e) {
            return vaddr("vaddr", e.vaddr());
        }
        if (event instanceof SetStack e) {
            return vaddr("vaddr", e.vaddr());
        }
        if (event instanceof Gap) {
            return null;
        }
        throw new AssertionError(event.type());
    }

    private String writeCr3(WriteCr3 e) {
        if (e.root() == WriteCr3.Root.USER && mode != PagingMode.FOUR_LEVEL) {
            return "root: only 4level guests keep a user root, this trace is " + mode;
        }
        return topTable("pgd", e.pgd());
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
        if (isEntryGpa(gpa)) {
            return null;
        }
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

    private boolean isEntryGpa(long gpa) {
        return (gpa & (mode.entryBytes() - 1)) == 0 && Long.compareUnsigned(gpa, memoryBytes) < 0;
    }

    /** An entry value: 32 bits wide in 2level, anything in the 8-byte-entry modes. */
    private String value(long value) {
        if (!isValue(value)) {
            return "value: " + hex(value) + " does not fit the 32-bit entries of 2level";
        }
        return null;
    }

    private boolean isValue(long value) {
        return mode != PagingMode.TWO_LEVEL || (value & ~LOW_32) == 0;
    }

    /** The gpa of a top-level table (cr3, an mm, a pinned tree). */
    private String topTable(String field, long gpa) {
        if (isTopTable(gpa)) {
            return null;
        }
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

    private boolean isTopTable(long gpa) {
        return (gpa & (topTableAlign - 1)) == 0 && (mode == PagingMode.FOUR_LEVEL || (gpa & ~LOW_32) == 0);
    }

    private boolean isVaddr(long vaddr) {
        long top = vaddr >> 47;
        return mode == PagingMode.FOUR_LEVEL ? top == 0 || top == -1 : (vaddr & ~LOW_32) == 0;
    }

    private String vaddr(String field, long vaddr) {
        if (isVaddr(vaddr)) {
            return null;
        }
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

    private boolean isPfn(long pfn) {
        return mode != PagingMode.TWO_LEVEL || pfn <= (LOW_32 >>> 12);
    }

    private String pfn(long pfn) {
        if (!isPfn(pfn)) {
            return "pfn: " + hex(pfn) + " does not fit the 32-bit physical addresses of 2level";
        }
        return null;
    }

    private String level(int level) {
        if (!isLevel(level)) {
            return "level: " + level + " but " + mode + " has levels 1.." + mode.levels();
        }
        return null;
    }

    private boolean isLevel(long level) {
        return level <= mode.levels();
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
