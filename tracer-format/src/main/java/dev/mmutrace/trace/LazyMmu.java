package dev.mmutrace.trace;

import static java.util.Objects.requireNonNull;

/**
 * lazy_mmu: the guest opens or closes a batching window (arch_enter/leave_lazy_mmu_mode,
 * xen_mc_batch/xen_mc_issue). Hypercalls issued inside it are sent as one batch.
 */
public record LazyMmu(int cpu, long timestampNs, Phase phase) implements TraceEvent {

    public enum Phase implements WireNamed {
        ENTER, LEAVE
    }

    public LazyMmu {
        Checks.event(cpu, timestampNs);
        requireNonNull(phase, "phase");
    }

    @Override
    public EventType type() {
        return EventType.LAZY_MMU;
    }
}
