package dev.mmutrace.trace;

/** release_pt: the page-table page at {@code pfn} stops being one (xen_release_ptpage). */
public record ReleasePt(int cpu, long timestampNs, long pfn, int level, boolean pinned) implements TraceEvent {
    public ReleasePt {
        Checks.tablePage(cpu, timestampNs, "pfn", pfn, level);
    }

    @Override
    public EventType type() {
        return EventType.RELEASE_PT;
    }
}
