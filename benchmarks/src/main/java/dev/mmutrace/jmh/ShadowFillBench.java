package dev.mmutrace.jmh;

import dev.mmutrace.replay.ModelFactory;
import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.AccessMode;
import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.WriteCr3;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * lguest's shadow fill path: after the guest loads its cr3, a user read of each of the
 * {@code tables} x 512 mapped pages misses the empty shadow and {@code demand_page} fills it;
 * a kernel {@code flush_tlb all} (LHCALL_FLUSH_TLB(1)) throws every shadow away, and the reads
 * start again, four rounds in all. One operation is the whole trace through a fresh lguest model.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ShadowFillBench {
    @Param({"8"})
    public int tables;

    private TraceHeader header;
    private List<TraceEvent> events;
    private ModelFactory lguest;

    @Setup
    public void setUp() {
        header = TraceHeader.defaults(PagingMode.FOUR_LEVEL, 1, Tree.PFN_LIMIT).withAccessMode(AccessMode.EXPLICIT);
        Tree tree = new Tree(tables);
        events = new ArrayList<>(tree.build());
        events.add(new WriteCr3(0, TraceEvent.NO_TIMESTAMP, Tree.L4 << 12, WriteCr3.Root.KERNEL));
        for (int round = 0; round < 4; round++) {
            for (int page = 0; page < tree.pages(); page++) {
                events.add(new Access(0, TraceEvent.NO_TIMESTAMP, (long) page << 12, Access.Kind.READ, true));
            }
            events.add(FlushTlb.all(0, TraceEvent.NO_TIMESTAMP));
        }
        lguest = ModelTraces.model("lguest");
    }

    @Benchmark
    public long fillEveryPageFourTimes() {
        return ModelTraces.replay(header, events, lguest);
    }
}
