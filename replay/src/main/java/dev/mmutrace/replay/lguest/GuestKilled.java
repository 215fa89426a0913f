package dev.mmutrace.replay.lguest;

/**
 * Thrown by the host once it has called kill_guest: nothing it was doing for the dead guest
 * matters any more, so the model unwinds to the event loop and stops. One shared instance
 * without a stack trace: it is control flow, not an error.
 */
final class GuestKilled extends RuntimeException {
    private static final long serialVersionUID = 1L;

    static final GuestKilled INSTANCE = new GuestKilled();

    private GuestKilled() {
        super("guest killed", null, false, false);
    }
}
