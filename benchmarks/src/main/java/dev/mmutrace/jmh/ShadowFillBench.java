package dev.mmutrace.jmh;

import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.AccessMode;
import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.WriteCr3;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * lguest's shadow fill path: after the guest loads its cr3, a user read of each of the
 * {@code tables} x 512 mapped pages misses the empty shadow and {@code demand_page} fills it;
 * a kernel {@code flush_tlb all} (LHCALL_FLUSH_TLB(1)) throws every shadow away, and the reads
 * start again, four rounds in all. One operation is the whole trace through a fresh lguest model.
 */
public class ShadowFillBench extends ModelTraceBench {
    public ShadowFillBench() {
        super("lguest", TraceHeader.defaults(PagingMode.FOUR_LEVEL, 1, Tree.PFN_LIMIT).withAccessMode(AccessMode.EXPLICIT));
    }

    @Override
    protected void afterBuilding(Tree tree, List<TraceEvent> events) {
        events.add(new WriteCr3(0, TraceEvent.NO_TIMESTAMP, Tree.L4 << 12, WriteCr3.Root.KERNEL));
        for (int round = 0; round < 4; round++) {
            for (int page = 0; page < tree.pages(); page++) {
                events.add(new Access(0, TraceEvent.NO_TIMESTAMP, (long) page << 12, Access.Kind.READ, true));
            }
            events.add(FlushTlb.all(0, TraceEvent.NO_TIMESTAMP));
        }
    }

    @Benchmark
    public long fillEveryPageFourTimes() {
        return replay();
    }
}
