package dev.mmutrace.replay.observe;

/**
 * A hypercall the guest port issued: {@code name} is the hypervisor's own (e.g.
 * {@code update_va_mapping}, {@code mmu_update}, {@code mmuext_op:PIN_L1_TABLE},
 * {@code LHCALL_SET_PTE}); {@code entries} the operations it carries. When
 * {@code inMulticall} is set it travelled inside a batch that a {@link Multicall} counts as the
 * one real hypercall.
 */
public record Hypercall(long event, int cpu, String name, int entries, boolean inMulticall) implements Observation {
    @Override
    public void accept(ObservationVisitor visitor) {
        visitor.visit(this);
    }
}
