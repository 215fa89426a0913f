package dev.mmutrace.trace;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * page_fault: the guest took a #PF at {@code vaddr} with the hardware error code (P, W, U, RSVD,
 * I/D bits) at instruction {@code ip} (0 when unknown).
 */
public record PageFault(int cpu, long timestampNs, long vaddr, int errorCode, long ip) implements TraceEvent {
    public static final int P = 1;
    public static final int W = 1 << 1;
    public static final int U = 1 << 2;
    public static final int RSVD = 1 << 3;
    public static final int ID = 1 << 4;

    public PageFault {
        Checks.event(cpu, timestampNs);
        checkArgument(errorCode >= 0 && errorCode <= 0xffff, "error_code must be 0..0xffff, got %s", errorCode);
    }

    public boolean write() {
        return (errorCode & W) != 0;
    }

    public boolean user() {
        return (errorCode & U) != 0;
    }

    public boolean fetch() {
        return (errorCode & ID) != 0;
    }

    /** The access this fault stands for when accesses are implied (SPEC §2.1). */
    public Access.Kind accessKind() {
        return fetch() ? Access.Kind.FETCH : write() ? Access.Kind.WRITE : Access.Kind.READ;
    }

    @Override
    public EventType type() {
        return EventType.PAGE_FAULT;
    }
}
