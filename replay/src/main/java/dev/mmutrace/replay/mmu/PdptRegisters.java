package dev.mmutrace.replay.mmu;

import dev.mmutrace.replay.GuestMemory;
import dev.mmutrace.trace.PagingMode;

/**
 * The four PAE PDPTE registers of each vCPU (Intel SDM vol. 3 §4.4.1, reference/x86.md §2.2: "walk
 * uses the cached PDPTR"): a cr3 load copies the PDPT's four entries into them, and every walk
 * reads its top entry from the register, not from memory, until the next load. Linux PAE reloads
 * cr3 after changing a PDPTE for exactly that reason.
 *
 * <p>The subtle thing: a PDPTE store changes nothing a walk sees until the next cr3 load. A walk
 * whose register no longer matches memory (cleared after the load: the hardware goes on
 * translating; set after it: the hardware faults) is a stale use, reported by the walk once per
 * register and load ({@link Walk#stalePdpte()}). A vCPU that has loaded no cr3 in the trace has no
 * known register contents, and its walks read the PDPT from memory as before.
 *
 * <p>Only meaningful in pae; allocates nothing after construction.
 */
public final class PdptRegisters {
    private static final int ENTRIES = 4;

    private final boolean active;
    private final boolean[] loaded;
    private final long[] entry;
    private final boolean[] known;
    private final boolean[] reported;

    public PdptRegisters(EntryFormat format, int vcpus) {
        this.active = format.mode() == PagingMode.PAE;
        int n = active ? vcpus : 0;
        this.loaded = new boolean[n];
        this.entry = new long[n * ENTRIES];
        this.known = new boolean[n * ENTRIES];
        this.reported = new boolean[n * ENTRIES];
    }

    /** A cr3 load on {@code cpu}: the four PDPTEs at {@code cr3} are copied in (no-op outside pae). */
    public void load(int cpu, long cr3, EntryFormat format, GuestMemory memory) {
        if (!active) {
            return;
        }
        loaded[cpu] = cr3 != Walk.NO_CR3;
        for (int i = 0; i < ENTRIES; i++) {
            int r = cpu * ENTRIES + i;
            long slot = format.topSlot(cr3, i);
            known[r] = loaded[cpu] && memory.isKnown(slot);
            entry[r] = known[r] ? format.width(memory.read(slot)) : 0;
            reported[r] = false;
        }
    }

    /** A gap on {@code cpu}: its registers are unknown until its next load (its cr3 is unknown too). */
    void forget(int cpu) {
        if (active) {
            loaded[cpu] = false;
        }
    }

    /** Whether walks on {@code cpu} read their top entry from these registers. */
    boolean inUse(int cpu) {
        return active && cpu < loaded.length && loaded[cpu];
    }

    boolean known(int cpu, int index) {
        return known[cpu * ENTRIES + index];
    }

    long entry(int cpu, int index) {
        return entry[cpu * ENTRIES + index];
    }

    /** True the first time since the load that register {@code index} is used while not matching memory. */
    boolean firstStaleUse(int cpu, int index) {
        int r = cpu * ENTRIES + index;
        if (reported[r]) {
            return false;
        }
        reported[r] = true;
        return true;
    }
}
