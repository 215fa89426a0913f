package dev.mmutrace.replay.xen;

import static com.google.common.base.Preconditions.checkState;
import static java.util.Objects.requireNonNull;

/**
 * What Xen refused and why: the reason code and Xen's log line. The deepest check that fails
 * makes it; the callers on the way up put their own part of Xen's log in front
 * ({@link #prefixed}). Every check returns one, {@link #NONE} when Xen accepted, so a refusal is
 * never read back from state some earlier call left behind. Only a refusal allocates.
 */
final class Refusal {
    /** Xen accepted. */
    static final Refusal NONE = new Refusal(null, "");

    private final Reason reason;
    private final String message;

    private Refusal(Reason reason, String message) {
        this.reason = reason;
        this.message = message;
    }

    static Refusal of(Reason reason, String message) {
        return new Refusal(requireNonNull(reason, "reason"), requireNonNull(message, "message"));
    }

    boolean refused() {
        return this != NONE;
    }

    Reason reason() {
        checkState(refused(), "Xen accepted: no reason");
        return reason;
    }

    String message() {
        checkState(refused(), "Xen accepted: no message");
        return message;
    }

    /** The same refusal with Xen's outer log line {@code outer} in front. */
    Refusal prefixed(String outer) {
        checkState(refused(), "Xen accepted: nothing to prefix");
        return new Refusal(reason, outer + ": " + message);
    }

    @Override
    public String toString() {
        return refused() ? reason.code() + ": " + message : "accepted";
    }
}
