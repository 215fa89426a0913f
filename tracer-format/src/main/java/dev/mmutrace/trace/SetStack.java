package dev.mmutrace.trace;

import static com.google.common.base.Preconditions.checkArgument;

/** set_stack: the guest tells the host where its kernel stack is (lguest LHCALL_SET_STACK). */
public record SetStack(int cpu, long timestampNs, long vaddr, int pages) implements TraceEvent {
    public SetStack {
        Checks.event(cpu, timestampNs);
        checkArgument(pages >= 1 && pages <= 64, "pages must be 1..64, got %s", pages);
    }

    @Override
    public EventType type() {
        return EventType.SET_STACK;
    }
}
