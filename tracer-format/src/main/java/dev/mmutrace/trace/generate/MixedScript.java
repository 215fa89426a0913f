package dev.mmutrace.trace.generate;

import dev.mmutrace.trace.PagingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * mixed: the well-behaved workloads side by side (fork-exec-exit, a context-switch storm,
 * mmap-munmap, and kmap-churn on 32-bit), each round one of them picked at random.
 */
final class MixedScript implements WorkloadScript {
    private final List<WorkloadScript> parts = new ArrayList<>();
    private int[] rounds;

    @Override
    public void setup(GuestKernel k) {
        parts.add(new ForkExecExitScript());
        parts.add(new ContextSwitchStormScript());
        parts.add(new MmapMunmapScript());
        if (k.layout.mode != PagingMode.FOUR_LEVEL) {
            parts.add(new KmapChurnScript());
        }
        rounds = new int[parts.size()];
        for (WorkloadScript p : parts) {
            p.setup(k);
        }
    }

    @Override
    public void round(GuestKernel k, int round) {
        int i = k.random.nextInt(parts.size());
        parts.get(i).round(k, rounds[i]++);
    }

    @Override
    public int naturalRounds() {
        return 40;
    }
}
