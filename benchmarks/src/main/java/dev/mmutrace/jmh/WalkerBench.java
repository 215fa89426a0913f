package dev.mmutrace.jmh;

import dev.mmutrace.replay.GuestMemory;
import dev.mmutrace.replay.mmu.EntryFormat;
import dev.mmutrace.replay.mmu.Walk;
import dev.mmutrace.replay.mmu.Walker;
import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.CpuFeatures;
import dev.mmutrace.trace.InitialMemory;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.SetPgd;
import dev.mmutrace.trace.SetPmd;
import dev.mmutrace.trace.SetPte;
import dev.mmutrace.trace.SetPud;
import dev.mmutrace.trace.TraceEvent;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One 4level walk (4 levels, user read, no A/D update) per operation, over 4096 mapped pages in
 * turn, so the frames touched change from walk to walk as in a replay.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class WalkerBench extends JmhDefaults {
    private final Tree tree = new Tree(8);
    private Walker walker;
    private final Walk walk = new Walk();
    private int next;

    @Setup
    public void setUp() {
        GuestMemory memory = new GuestMemory(PagingMode.FOUR_LEVEL, InitialMemory.UNKNOWN);
        for (TraceEvent e : tree.build()) {
            if (e instanceof SetPte s) {
                memory.write(s.entryGpa(), s.value());
            } else if (e instanceof SetPmd s) {
                memory.write(s.entryGpa(), s.value());
            } else if (e instanceof SetPud s) {
                memory.write(s.entryGpa(), s.value());
            } else if (e instanceof SetPgd s) {
                memory.write(s.entryGpa(), s.value());
            }
        }
        walker = new Walker(new EntryFormat(PagingMode.FOUR_LEVEL, CpuFeatures.LINUX_DEFAULT), memory);
    }

    @Benchmark
    public boolean walk() {
        long vaddr = (long) next << 12;
        next = (next + 1) % tree.pages();
        return walker.walk(Tree.L4 << 12, vaddr, Access.Kind.READ, true, false, walk);
    }
}
