package dev.mmutrace.trace;

/** set_pud: a store into an L3 (pud) slot. The value is the guest's entry, pfn-based. */
public record SetPud(int cpu, long timestampNs, long entryGpa, long value) implements EntryUpdate {
    public SetPud {
        Checks.entryUpdate(cpu, timestampNs, entryGpa);
    }

    @Override
    public EventType type() {
        return EventType.SET_PUD;
    }
}
