package dev.mmutrace.replay.xen;

/**
 * The trace event and vCPU that Xen's current piece of work is for. Observations made deep in
 * a validation cascade carry it, so every figure points back to the event that caused it. For
 * an entry of a multicall it is the event that queued the entry, not the one that flushed the
 * batch.
 */
final class Cause {
    long event;
    int cpu;

    void set(long event, int cpu) {
        this.event = event;
        this.cpu = cpu;
    }
}
