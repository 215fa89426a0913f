package dev.mmutrace.trace;

/**
 * ptep_modify_prot_commit: a protection change of a PTE that keeps the hardware-set A and D
 * bits of the entry as it stands (Xen does it with MMU_PT_UPDATE_PRESERVE_AD).
 */
public record PtepModifyProt(int cpu, long timestampNs, long mm, long vaddr, long entryGpa, long value)
        implements EntryUpdate {
    public PtepModifyProt {
        Checks.cpu(cpu);
        Checks.timestamp(timestampNs);
        Checks.address("mm", mm);
        Checks.address("entry_gpa", entryGpa);
    }

    @Override
    public int level() {
        return 1;
    }

    @Override
    public EventType type() {
        return EventType.PTEP_MODIFY_PROT;
    }
}
