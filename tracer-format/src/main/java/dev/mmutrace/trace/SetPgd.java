package dev.mmutrace.trace;

/**
 * set_pgd: a store into a top-level slot. On x86-64 PV the guest keeps a second, user-only
 * top table and mirrors user slots into it: {@code userEntryGpa} names that slot, or is
 * {@link TraceEvent#NO_ADDRESS}.
 */
public record SetPgd(int cpu, long timestampNs, long entryGpa, long value, long userEntryGpa)
        implements EntryUpdate {
    public SetPgd {
        Checks.entryUpdate(cpu, timestampNs, entryGpa);
        Checks.optionalAddress("user_entry_gpa", userEntryGpa);
    }

    @Override
    public long userEntryGpa() {
        return userEntryGpa;
    }

    public boolean hasUserEntry() {
        return userEntryGpa != NO_ADDRESS;
    }

    @Override
    public EventType type() {
        return EventType.SET_PGD;
    }
}
