package dev.mmutrace.report;

/**
 * How much lguest's shadow tables were built and thrown away (SPEC §8, §9). {@code killedAtEvent}
 * is -1 and {@code killReason} empty when the guest was not killed.
 */
public record ShadowChurn(long pgdirSwitches, long pgdirMisses, long pgdirEvictions, long evictedThenReused,
        long ptePagesAllocated, long ptePagesFreed, long entriesFilled, long entriesDiscarded,
        long entriesDiscardedValid, long refills, long clearAll, long stackRepins, long killedAtEvent,
        String killReason) {

    public static final long NOT_KILLED = -1;
}
