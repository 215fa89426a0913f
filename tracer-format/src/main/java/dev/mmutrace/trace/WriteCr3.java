package dev.mmutrace.trace;

import static java.util.Objects.requireNonNull;

/** write_cr3: load the top table at {@code pgd} as the kernel root, or (x86-64 PV) the user root. */
public record WriteCr3(int cpu, long timestampNs, long pgd, Root root) implements TraceEvent {

    /** Which of the two roots an x86-64 PV guest keeps is being loaded. */
    public enum Root implements WireNamed {
        KERNEL, USER
    }

    public WriteCr3 {
        Checks.event(cpu, timestampNs);
        Checks.address("pgd", pgd);
        requireNonNull(root, "root");
    }

    @Override
    public EventType type() {
        return EventType.WRITE_CR3;
    }
}
