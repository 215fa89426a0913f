package dev.mmutrace.replay.mmu;

import static java.util.Objects.requireNonNull;

import dev.mmutrace.replay.GuestMemory;
import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.EntryBits;
import dev.mmutrace.trace.PageFault;

/**
 * The x86 page walk, one loop over the levels of an {@link EntryFormat}, in the SDM's order of
 * checks (Bochs' "page not present, reserved bits, protection"): at each level the entry must be
 * present, then free of reserved bits (which include PS where no large page may be, NX without
 * EFER.NXE, bits above MAXPHYADDR and a large page's alignment bits); rights are ANDed (RW, US)
 * and ORed (NX) on the way down. At the leaf come the rights checks: US, RW with CR0.WP, NX,
 * SMEP, SMAP. Not-present and reserved faults are terminal.
 *
 * <p>A and D are set only when the whole access succeeds: A on every level used (top down), D on
 * the leaf for a write, through {@link GuestMemory#setBits}. The kvm-unit-tests oracle allows
 * either choice for upper-level A on a faulting access; this one never writes on a fault.
 *
 * <p>PAE: a model that keeps {@link PdptRegisters} passes them, and once its vCPU has loaded cr3
 * the top entry comes from the register loaded then; without them PDPTEs are read from memory at
 * every walk (QEMU's way, the access oracles'). Simplifications, each documented in docs/mmu.md: a
 * reserved bit in a PDPTE is a RSVD #PF at the walk rather than a #GP at the load; EFLAGS.AC is
 * taken as 0 for SMAP; no protection keys.
 *
 * <p>One walker serves every model of a replay: it holds no state beyond the memory it reads.
 */
public final class Walker {
    private final EntryFormat format;
    private final GuestMemory memory;
    private final boolean wp;
    private final boolean smep;
    private final boolean smap;
    private final boolean pge;
    /** Whether the error code carries I/D: with NX in force or SMEP (SDM, reference/x86.md §2.3). */
    private final boolean reportsFetch;

    public Walker(EntryFormat format, GuestMemory memory) {
        this.format = requireNonNull(format, "format");
        this.memory = requireNonNull(memory, "memory");
        this.wp = format.cpu().wp();
        this.smep = format.cpu().smep();
        this.smap = format.cpu().smap();
        this.pge = format.cpu().pge();
        this.reportsFetch = format.nxe() || smep;
    }

    public EntryFormat format() {
        return format;
    }

    /**
     * Walks {@code vaddr} from {@code cr3} for an access of {@code kind} from user ({@code user})
     * or supervisor mode, filling {@code out}. With {@code update} a successful access sets A and D
     * as the hardware would; without it the walk only looks (a fault claim being checked).
     *
     * @param cr3 the top table's gpa, or {@link Walk#NO_CR3} when the vCPU's cr3 is unknown
     * @return {@code out.ok()}
     */
    public boolean walk(long cr3, long vaddr, Access.Kind kind, boolean user, boolean update, Walk out) {
        return walkFrom(cr3, null, 0, vaddr, kind, user, update, out);
    }

    /**
     * The same walk by vCPU {@code cpu} of a model that keeps PAE PDPTE registers: once the vCPU
     * has loaded cr3, the top entry comes from {@code pdptrs}, and a register that no longer
     * matches memory sets {@link Walk#stalePdpte()} the first time it is used after its load.
     */
    public boolean walk(long cr3, PdptRegisters pdptrs, int cpu, long vaddr, Access.Kind kind, boolean user,
            boolean update, Walk out) {
        return walkFrom(cr3, requireNonNull(pdptrs, "pdptrs"), cpu, vaddr, kind, user, update, out);
    }

    /** The walk; {@code pdptrs} null: PDPTEs from memory. */
    private boolean walkFrom(long cr3, PdptRegisters pdptrs, int cpu, long vaddr, Access.Kind kind, boolean user,
            boolean update, Walk out) {
        long linear = format.linear(vaddr);
        int top = format.top();
        out.reset(linear, top);
        if (cr3 == Walk.NO_CR3) {
            return unknown(out, Walk.NO_CR3, kind, user);
        }
        boolean writable = true;
        boolean userPage = true;
        boolean nx = false;
        long slot = format.topSlot(cr3, format.index(top, linear));
        boolean registers = pdptrs != null && pdptrs.inUse(cpu);
        boolean afterGap = memory.hadGap();
        for (int level = top; ; level--) {
            long e;
            if (registers && level == top) {
                int i = format.index(top, linear);
                if (!pdptrs.known(cpu, i)) {
                    return unknown(out, slot, kind, user);
                }
                e = pdptrs.entry(cpu, i);
                boolean matches = memory.isKnown(slot) && format.width(memory.read(slot)) == e;
                out.stalePdpte = !matches && pdptrs.firstStaleUse(cpu, i);
            } else {
                if (!memory.isKnown(slot)) {
                    return unknown(out, slot, kind, user);
                }
                if (afterGap && !memory.writtenSinceGap(slot)) {
                    out.readBeforeGap = true;
                }
                e = format.width(memory.read(slot));
            }
            out.slots[level] = slot;
            out.entries[level] = e;
            if (!EntryFormat.present(e)) {
                return fault(out, 0, kind, user);
            }
            boolean leaf = format.isLeaf(level, e);
            boolean large = leaf && level > 1;
            if ((e & format.reserved(level, large)) != 0) {
                return fault(out, PageFault.P | PageFault.RSVD, kind, user);
            }
            if (format.hasRights(level)) {
                writable &= (e & EntryBits.RW) != 0;
                userPage &= (e & EntryBits.USER) != 0;
                nx |= format.nxe() && (e & EntryBits.NX) != 0;
            }
            if (leaf) {
                out.leafLevel = level;
                out.frame = format.frameAddress(level, e);
                break;
            }
            slot = format.tableAddress(e) + ((long) format.index(level - 1, linear) << format.entryShift());
        }
        out.writable = writable;
        out.user = userPage;
        out.nx = nx;
        if (!permits(writable, userPage, nx, kind, user)) {
            return fault(out, PageFault.P, kind, user);
        }
        long leafEntry = out.entries[out.leafLevel];
        out.global = pge && (leafEntry & EntryBits.GLOBAL) != 0;
        out.dirty = (leafEntry & EntryBits.DIRTY) != 0 || kind == Access.Kind.WRITE;
        out.ok = true;
        if (update) {
            setAccessedDirty(out, kind == Access.Kind.WRITE);
        }
        return true;
    }

    /** A on every level used (top down), D on the leaf for a write; PAE PDPTEs have no A bit. */
    private void setAccessedDirty(Walk out, boolean write) {
        for (int level = out.top; level >= out.leafLevel; level--) {
            if (!format.hasRights(level)) {
                continue;
            }
            long bits = EntryBits.ACCESSED;
            if (level == out.leafLevel && write) {
                bits |= EntryBits.DIRTY;
            }
            if ((out.entries[level] & bits) != bits) {
                memory.setBits(out.slots[level], bits);
            }
        }
    }

    /**
     * The leaf rights check on effective rights (kvm-unit-tests' ac_test_permissions, plus SMAP
     * with EFLAGS.AC=0): a user access needs US; a write needs RW unless it is a supervisor write
     * with CR0.WP clear; a fetch needs !NX; SMEP forbids supervisor fetches from user pages and SMAP
     * supervisor data accesses to them.
     */
    public boolean permits(boolean writable, boolean userPage, boolean nx, Access.Kind kind, boolean user) {
        if (user && !userPage) {
            return false;
        }
        boolean write = kind == Access.Kind.WRITE;
        boolean fetch = kind == Access.Kind.FETCH;
        if (write && !writable && (user || wp)) {
            return false;
        }
        if (fetch && nx) {
            return false;
        }
        if (!user && userPage && (fetch ? smep : smap)) {
            return false;
        }
        return true;
    }

    private boolean unknown(Walk out, long slot, Access.Kind kind, boolean user) {
        out.unknown = true;
        out.unknownSlot = slot;
        return fault(out, 0, kind, user);
    }

    private boolean fault(Walk out, int base, Access.Kind kind, boolean user) {
        int code = base;
        if (kind == Access.Kind.WRITE) {
            code |= PageFault.W;
        }
        if (user) {
            code |= PageFault.U;
        }
        if (kind == Access.Kind.FETCH && reportsFetch) {
            code |= PageFault.ID;
        }
        out.errorCode = code;
        out.ok = false;
        return false;
    }
}
