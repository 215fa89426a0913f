package dev.mmutrace.trace;

/** set_pmd: a store into an L2 (pmd) slot. The value is the guest's entry, pfn-based. */
public record SetPmd(int cpu, long timestampNs, long entryGpa, long value) implements EntryUpdate {
    public SetPmd {
        Checks.entryUpdate(cpu, timestampNs, entryGpa);
    }

    @Override
    public EventType type() {
        return EventType.SET_PMD;
    }
}
