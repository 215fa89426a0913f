package dev.mmutrace.trace.generate;

import com.google.common.collect.ImmutableMap;
import dev.mmutrace.trace.InitialMemory;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A synthetic trace, generated as it is read: boot, the workload's setup, then its rounds, a few
 * events at a time, so a trace of any size costs the memory of one round. Deterministic: the same
 * settings give the same events. The header says guest memory starts empty (SPEC §2.2).
 */
public final class WorkloadGenerator implements Iterator<TraceEvent> {
    /** The version written into the header's producer field; bump it when the output changes. */
    public static final String VERSION = "2";

    private final GeneratorSettings settings;
    private final GuestKernel kernel;
    private final WorkloadScript script;
    private final TraceHeader header;
    private boolean booted;
    private int round;
    private long emitted;

    public WorkloadGenerator(GeneratorSettings settings) {
        this.settings = settings;
        this.kernel = new GuestKernel(settings.mode(), settings.vcpus(), settings.seed());
        this.script = scriptFor(settings.workload());
        this.header = TraceHeader.defaults(settings.mode(), settings.vcpus(), Layout.PFN_LIMIT)
                .withInitMmPgd(kernel.initMmPgd())
                // the synthetic guest starts at boot: a slot no event wrote is a zeroed one
                .withInitialMemory(InitialMemory.EMPTY)
                .withProducer("mmutrace-generate", VERSION)
                .withLabels(ImmutableMap.of("workload", settings.workload().wireName(),
                        "seed", Long.toString(settings.seed())));
    }

    private static WorkloadScript scriptFor(Workload w) {
        return switch (w) {
            case BOOT -> new BootScript();
            case FORK_EXEC_EXIT -> new ForkExecExitScript();
            case CTXSWITCH_STORM -> new ContextSwitchStormScript();
            case KMAP_CHURN -> new KmapChurnScript();
            case MMAP_MUNMAP -> new MmapMunmapScript();
            case BUGGY_GUEST -> new BuggyGuestScript();
            case MIXED -> new MixedScript();
        };
    }

    public TraceHeader header() {
        return header;
    }

    @Override
    public boolean hasNext() {
        long limit = settings.events();
        if (limit != GeneratorSettings.NATURAL && emitted >= limit) {
            return false;
        }
        while (kernel.out.isEmpty()) {
            if (!booted) {
                kernel.boot();
                script.setup(kernel);
                booted = true;
            } else if (limit == GeneratorSettings.NATURAL && round >= script.naturalRounds()) {
                return false;
            } else {
                script.round(kernel, round++);
            }
        }
        return true;
    }

    @Override
    public TraceEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        emitted++;
        return kernel.out.poll();
    }
}
