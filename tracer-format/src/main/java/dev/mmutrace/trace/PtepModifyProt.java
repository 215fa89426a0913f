package dev.mmutrace.trace;

/**
 * ptep_modify_prot_commit: a protection change of a PTE that keeps the hardware-set A and D
 * bits of the entry as it stands (Xen does it with MMU_PT_UPDATE_PRESERVE_AD).
 */
public record PtepModifyProt(int cpu, long timestampNs, long mm, long vaddr, long entryGpa, long value)
        implements EntryUpdate {
    public PtepModifyProt {
        Checks.event(cpu, timestampNs);
        Checks.address("mm", mm);
        Checks.address("entry_gpa", entryGpa);
    }

    @Override
    public EventType type() {
        return EventType.PTEP_MODIFY_PROT;
    }
}
