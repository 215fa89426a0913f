package dev.mmutrace.replay;

import dev.mmutrace.trace.TraceEvent;

/**
 * One hypervisor memory model behind the replay: its guest port (what the guest would have done
 * on that hypervisor for each trace event) and the hypervisor's own state. A model keeps its own
 * state, reads the shared guest memory through its {@link ReplayContext}, and reports only
 * through its observation sink.
 */
public interface MemoryModel {

    /** The model's name in reports: {@code native}, {@code xen}, {@code lguest}. */
    String name();

    /**
     * Every trace event except {@code access}, in order. For an entry update the guest memory still
     * holds the old value; the engine stores the new one after every model has seen the event.
     */
    void onEvent(long index, TraceEvent event);

    /** An access to replay (explicit, or an implied retry), tied to event {@code index}. */
    void onAccess(long index, AccessRequest access);

    /** The trace is over; {@code events} were replayed. */
    default void onEnd(long events) {
    }

    /** True once the model cannot go on (lguest killed the guest); the engine stops feeding it. */
    default boolean stopped() {
        return false;
    }
}
