package dev.mmutrace.trace.generate;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.TraceHeader;

/**
 * What to generate: the workload, the seed every random choice comes from, how many events
 * ({@link #NATURAL} for the workload's own length; more loops it, fewer cuts it), the paging mode
 * and the vCPU count.
 */
public record GeneratorSettings(Workload workload, long seed, long events, PagingMode mode, int vcpus) {

    public static final long NATURAL = 0;

    public GeneratorSettings {
        requireNonNull(workload, "workload");
        requireNonNull(mode, "mode");
        checkArgument(events >= 0, "events must be >= 0 (0: the workload's natural length), got %s", events);
        checkArgument(vcpus >= 1 && vcpus <= TraceHeader.MAX_VCPUS, "vcpus must be 1..%s, got %s",
                TraceHeader.MAX_VCPUS, vcpus);
        checkArgument(workload != Workload.KMAP_CHURN || mode != PagingMode.FOUR_LEVEL,
                "kmap-churn needs a 32-bit mode (2level or pae): x86-64 has no highmem to kmap");
    }

    public static GeneratorSettings of(Workload workload) {
        return new GeneratorSettings(workload, 1, NATURAL, workload.defaultMode(), 2);
    }
}
