package dev.mmutrace.trace;

/**
 * One thing the guest kernel asked its paravirt MMU layer to do, in the guest's own terms.
 *
 * <p>A trace never says what a hypervisor did with the request: each model's guest port decides
 * that. Every event names the vCPU that issued it and may carry a timestamp.
 */
public sealed interface TraceEvent
        permits EntryUpdate, WriteCr3, PageFault, Pin, Unpin, AllocPt, ReleasePt, FlushTlb, LazyMmu,
                SetStack, Access, Gap {

    /** The timestamp of an event whose producer recorded none. */
    long NO_TIMESTAMP = -1L;

    /** An optional address field that the producer did not know (e.g. the user pgd slot on 32-bit). */
    long NO_ADDRESS = -1L;

    /** The vCPU that issued the event, from 0 to the header's vCPU count - 1. */
    int cpu();

    /** Nanoseconds since an arbitrary origin, or {@link #NO_TIMESTAMP}. */
    long timestampNs();

    EventType type();
}
