package dev.mmutrace.replay;

import dev.mmutrace.trace.TraceHeader;

/** What every model may read during a replay: the trace's header and the shared guest memory. */
public interface ReplayContext {

    TraceHeader header();

    /** The guest's page tables, shared by all models, holding the state before the current event's store. */
    GuestMemory memory();
}
