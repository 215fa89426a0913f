package dev.mmutrace.trace;

/** alloc_pt: a page at {@code pfn} becomes a page table of {@code level}; {@code pinned} says whether its mm is pinned (xen_alloc_ptpage). */
public record AllocPt(int cpu, long timestampNs, long pfn, int level, boolean pinned) implements TraceEvent {
    public AllocPt {
        Checks.tablePage(cpu, timestampNs, "pfn", pfn, level);
    }

    @Override
    public EventType type() {
        return EventType.ALLOC_PT;
    }
}
