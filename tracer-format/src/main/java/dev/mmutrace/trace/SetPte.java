package dev.mmutrace.trace;

/** set_pte: a store into a PTE slot with no vaddr known (Linux set_pte, xen_mmu_set_pte). The value is the guest's entry, pfn-based. */
public record SetPte(int cpu, long timestampNs, long entryGpa, long value) implements EntryUpdate {
    public SetPte {
        Checks.entryUpdate(cpu, timestampNs, entryGpa);
    }

    @Override
    public EventType type() {
        return EventType.SET_PTE;
    }
}
