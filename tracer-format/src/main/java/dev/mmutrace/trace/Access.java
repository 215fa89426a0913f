package dev.mmutrace.trace;

import static java.util.Objects.requireNonNull;

/** access: a memory access at {@code vaddr}, from user or supervisor mode (explicit-access traces). */
public record Access(int cpu, long timestampNs, long vaddr, Kind kind, boolean user) implements TraceEvent {

    public enum Kind implements WireNamed {
        READ, WRITE, FETCH
    }

    public Access {
        Checks.event(cpu, timestampNs);
        requireNonNull(kind, "kind");
    }

    @Override
    public EventType type() {
        return EventType.ACCESS;
    }
}
