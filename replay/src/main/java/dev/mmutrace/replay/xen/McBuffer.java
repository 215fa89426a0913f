package dev.mmutrace.replay.xen;

import dev.mmutrace.trace.FlushTlb;

/**
 * One vCPU's multicall buffer, as Linux 2.6.2x's multicalls.c keeps it: at most
 * {@value #MC_BATCH} entries and {@value #MC_ARGS} bytes of arguments; a full buffer is issued
 * before the next entry goes in. Consecutive mmu_updates extend the last entry (one entry,
 * several updates) rather than taking a new one, as {@code xen_mc_extend_args} does.
 *
 * <p>Entries are kept in primitive arrays and the buffer is reused, so queueing allocates
 * nothing. Each entry and each mmu_update remembers the trace event that queued it.
 */
final class McBuffer {
    static final int MC_BATCH = 32;
    static final int MC_ARGS = 512;
    /** sizeof(struct mmu_update): two 64-bit words. */
    static final int MMU_UPDATE_BYTES = 16;

    /** The hypercall an entry makes. */
    enum Op {
        UPDATE_VA_MAPPING, MMU_UPDATE, MMUEXT_OP
    }

    final Op[] op = new Op[MC_BATCH];
    /** mmuext command. */
    final Mmuext[] cmd = new Mmuext[MC_BATCH];
    /** update_va_mapping: vaddr; mmuext: mfn or linear address. */
    final long[] arg1 = new long[MC_BATCH];
    /** update_va_mapping: machine entry; mmuext MULTI ops: the vCPU mask. */
    final long[] arg2 = new long[MC_BATCH];
    /** update_va_mapping: UVMF flags. */
    final int[] arg3 = new int[MC_BATCH];
    /** mmuext flush ops: the guest's flush_tlb scope that asked for it (the Flush's kind). */
    final FlushTlb.Scope[] flushKind = new FlushTlb.Scope[MC_BATCH];
    final long[] event = new long[MC_BATCH];
    final int[] firstUpdate = new int[MC_BATCH];
    final int[] updates = new int[MC_BATCH];

    final long[] updatePtr = new long[MC_ARGS / MMU_UPDATE_BYTES];
    final long[] updateVal = new long[MC_ARGS / MMU_UPDATE_BYTES];
    final long[] updateEvent = new long[MC_ARGS / MMU_UPDATE_BYTES];

    private final int mmuextBytes;
    int entries;
    private int argBytes;
    private int updateCount;

    /** {@code mmuextBytes}: sizeof(struct mmuext_op), 24 on x86-64 and 12 on 32-bit. */
    McBuffer(int mmuextBytes) {
        this.mmuextBytes = mmuextBytes;
    }

    boolean isEmpty() {
        return entries == 0;
    }

    /** Whether __xen_mc_entry would take a new entry with {@code args} bytes without issuing first. */
    boolean fits(int args) {
        return entries < MC_BATCH && argBytes + args <= MC_ARGS;
    }

    boolean fitsMmuext() {
        return fits(mmuextBytes);
    }

    /** Whether xen_mc_extend_args can add one more mmu_update to the last entry. */
    boolean canExtendMmuUpdate() {
        return entries > 0 && op[entries - 1] == Op.MMU_UPDATE && argBytes + MMU_UPDATE_BYTES <= MC_ARGS;
    }

    void addUpdateVaMapping(long ev, long vaddr, long machineEntry, int flags) {
        int i = entries++;
        op[i] = Op.UPDATE_VA_MAPPING;
        arg1[i] = vaddr;
        arg2[i] = machineEntry;
        arg3[i] = flags;
        event[i] = ev;
    }

    /** A pin, unpin or base-pointer op on machine frame {@code mfn}. */
    void addMmuext(long ev, Mmuext command, long mfn) {
        addMmuext(ev, command, mfn, 0, FlushTlb.Scope.ALL);
    }

    /**
     * A flush op for the guest's {@code kind} of flush_tlb: {@code linear} is the vaddr of an
     * INVLPG, {@code vcpuMask} the targets of a MULTI op.
     */
    void addFlush(long ev, Mmuext command, long linear, long vcpuMask, FlushTlb.Scope kind) {
        addMmuext(ev, command, linear, vcpuMask, kind);
    }

    private void addMmuext(long ev, Mmuext command, long a1, long a2, FlushTlb.Scope kind) {
        int i = entries++;
        op[i] = Op.MMUEXT_OP;
        cmd[i] = command;
        arg1[i] = a1;
        arg2[i] = a2;
        flushKind[i] = kind;
        event[i] = ev;
        argBytes += mmuextBytes;
    }

    /** A new mmu_update entry holding one update. */
    void addMmuUpdate(long ev, long ptr, long machineEntry) {
        int i = entries++;
        op[i] = Op.MMU_UPDATE;
        event[i] = ev;
        firstUpdate[i] = updateCount;
        updates[i] = 0;
        extendMmuUpdate(ev, ptr, machineEntry);
    }

    /** One more update in the last (mmu_update) entry. */
    void extendMmuUpdate(long ev, long ptr, long machineEntry) {
        int u = updateCount++;
        updatePtr[u] = ptr;
        updateVal[u] = machineEntry;
        updateEvent[u] = ev;
        updates[entries - 1]++;
        argBytes += MMU_UPDATE_BYTES;
    }

    void clear() {
        entries = 0;
        argBytes = 0;
        updateCount = 0;
    }
}
