package dev.mmutrace.trace;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.OptionalLong;

/**
 * gap: the tracer lost events of this vCPU here (a trace.dat page's lost-event count, a text
 * trace's {@code CPU:N [LOST n EVENTS]} or {@code [n EVENTS DROPPED]} line). What the vCPU did in
 * between is not in the trace, so its translation state is unknown from here (SPEC §2.2,
 * docs/mmu.md says what the replay makes of that).
 *
 * <p>{@code lostEvents} is empty when the tracer said events were lost but not how many; a count
 * it gave is at least 1. The timestamp is absent when the tracer did not say when (the importers
 * never know: the loss happened somewhere before the vCPU's next recorded event).
 */
public record Gap(int cpu, long timestampNs, OptionalLong lostEvents) implements TraceEvent {

    public Gap {
        Checks.event(cpu, timestampNs);
        requireNonNull(lostEvents, "lostEvents");
        if (lostEvents.isPresent()) {
            checkArgument(lostEvents.getAsLong() >= 1, "lost_events must be at least 1 (or absent: unknown), got %s",
                    Long.toUnsignedString(lostEvents.getAsLong()));
        }
    }

    /** A gap of {@code count} events the tracer counted. */
    public static Gap of(int cpu, long timestampNs, long count) {
        return new Gap(cpu, timestampNs, OptionalLong.of(count));
    }

    /** A gap whose size the tracer did not say. */
    public static Gap ofUnknownSize(int cpu, long timestampNs) {
        return new Gap(cpu, timestampNs, OptionalLong.empty());
    }

    @Override
    public EventType type() {
        return EventType.GAP;
    }
}
