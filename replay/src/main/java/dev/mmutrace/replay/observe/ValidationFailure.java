package dev.mmutrace.replay.observe;

/**
 * The hypervisor refused what the guest asked. {@code reason} is a stable code documented in the
 * model's page under docs/models; {@code message} is one line in the seed's own terms.
 * {@code fatal} failures (lguest's kill_guest) stop that model's replay.
 */
public record ValidationFailure(long event, int cpu, String reason, String message, boolean fatal)
        implements Observation {
    @Override
    public void accept(ObservationVisitor visitor) {
        visitor.visit(this);
    }
}
