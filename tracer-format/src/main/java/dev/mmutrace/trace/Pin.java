package dev.mmutrace.trace;

/** pin: the guest pins the page-table tree whose top is {@code tableGpa} (Linux xen_pgd_pin on mm activation). {@code level} is the top table's level, 2..4 by paging mode. */
public record Pin(int cpu, long timestampNs, long tableGpa, int level) implements TraceEvent {
    public Pin {
        Checks.tablePage(cpu, timestampNs, "table_gpa", tableGpa, level);
    }

    @Override
    public EventType type() {
        return EventType.PIN;
    }
}
