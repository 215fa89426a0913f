package dev.mmutrace.trace;

/** unpin: the guest unpins the tree whose top is {@code tableGpa} (Linux xen_pgd_unpin at mm exit). {@code level} is the top table's level, 2..4 by paging mode. */
public record Unpin(int cpu, long timestampNs, long tableGpa, int level) implements TraceEvent {
    public Unpin {
        Checks.tablePage(cpu, timestampNs, "table_gpa", tableGpa, level);
    }

    @Override
    public EventType type() {
        return EventType.UNPIN;
    }
}
