package dev.mmutrace.trace;

/**
 * set_pte_at: a store into a PTE slot of address space {@code mm} (its top table's gpa) for
 * {@code vaddr} (Linux set_pte_at, xen_mmu_set_pte_at).
 */
public record SetPteAt(int cpu, long timestampNs, long mm, long vaddr, long entryGpa, long value)
        implements EntryUpdate {
    public SetPteAt {
        Checks.event(cpu, timestampNs);
        Checks.address("mm", mm);
        Checks.address("entry_gpa", entryGpa);
    }

    @Override
    public EventType type() {
        return EventType.SET_PTE_AT;
    }
}
