package dev.mmutrace.trace;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * flush_tlb: the guest asks for a TLB flush.
 *
 * <ul>
 *   <li>{@code user}: the local vCPU's non-global entries;
 *   <li>{@code all}: the local vCPU's entries, global ones included;
 *   <li>{@code one}: the local entry of the page holding {@code vaddr};
 *   <li>{@code multi}: other vCPUs ({@code cpus} as a bit set; 0 when the producer knew only a
 *       count, {@code cpuCount}, and then it means every other vCPU), for address space {@code mm}
 *       (or {@link #NO_ADDRESS}) and the range [{@code vaddr}, {@code vaddrEnd}) (both
 *       {@link #NO_ADDRESS} for a full flush).
 * </ul>
 */
public record FlushTlb(int cpu, long timestampNs, Scope scope, long vaddr, long vaddrEnd, long cpus,
        int cpuCount, long mm) implements TraceEvent {

    public enum Scope implements WireNamed {
        USER, ALL, ONE, MULTI
    }

    public FlushTlb {
        Checks.event(cpu, timestampNs);
        requireNonNull(scope, "scope");
        Checks.optionalAddress("mm", mm);
        checkArgument(cpuCount >= 0, "cpu_count must be >= 0, got %s", cpuCount);
        checkArgument(scope != Scope.ONE || vaddr != NO_ADDRESS, "vaddr is required by a flush of one page");
        // unsigned: x86-64 kernel ranges have bit 63 set
        checkArgument(vaddrEnd == NO_ADDRESS || (vaddr != NO_ADDRESS && Long.compareUnsigned(vaddrEnd, vaddr) > 0),
                "vaddr_end must follow vaddr, got [%s, %s)", vaddr, vaddrEnd);
    }

    public static FlushTlb user(int cpu, long timestampNs) {
        return new FlushTlb(cpu, timestampNs, Scope.USER, NO_ADDRESS, NO_ADDRESS, 0, 0, NO_ADDRESS);
    }

    public static FlushTlb all(int cpu, long timestampNs) {
        return new FlushTlb(cpu, timestampNs, Scope.ALL, NO_ADDRESS, NO_ADDRESS, 0, 0, NO_ADDRESS);
    }

    public static FlushTlb one(int cpu, long timestampNs, long vaddr) {
        return new FlushTlb(cpu, timestampNs, Scope.ONE, vaddr, NO_ADDRESS, 0, 0, NO_ADDRESS);
    }

    /** True when a multi flush covers the whole address space rather than a range. */
    public boolean isFullRange() {
        return vaddr == NO_ADDRESS;
    }

    /** Whether {@code target} is one of the vCPUs a multi flush reaches. */
    public boolean targets(int target) {
        if (scope != Scope.MULTI) {
            return target == cpu;
        }
        if (cpus == 0) {
            return target != cpu;
        }
        return target < 64 && (cpus & (1L << target)) != 0;
    }

    @Override
    public EventType type() {
        return EventType.FLUSH_TLB;
    }
}
