package dev.mmutrace.replay.observe;

/**
 * One switch from the guest into the hypervisor. {@code cause} is one of {@code hypercall},
 * {@code hidden_fault}, {@code reflected_fault}, {@code fatal_fault}, {@code ptwr}, {@code fault_bounce} (the model's
 * docs say which it uses and why).
 */
public record Exit(long event, int cpu, String cause) implements Observation {
    @Override
    public void accept(ObservationVisitor visitor) {
        visitor.visit(this);
    }
}
