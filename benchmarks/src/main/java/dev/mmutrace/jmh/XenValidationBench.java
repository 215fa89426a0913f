package dev.mmutrace.jmh;

import dev.mmutrace.trace.P2m;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.Pin;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.Unpin;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * The Xen validator: a guest builds a tree of {@code tables} L1 tables (512 present entries
 * each), then pins and unpins its L4 ten times. Each pin is the guest port's walk of the tree
 * (every page made read-only, PIN_L1_TABLE per PTE page) and Xen's full validation of every
 * entry; each unpin drops the types again. One operation is the whole trace through a fresh
 * xen model.
 */
public class XenValidationBench extends ModelTraceBench {
    public XenValidationBench() {
        super("xen", TraceHeader.defaults(PagingMode.FOUR_LEVEL, 1, Tree.PFN_LIMIT).withP2m(P2m.PERMUTATION));
    }

    @Override
    protected void afterBuilding(Tree tree, List<TraceEvent> events) {
        for (int round = 0; round < 10; round++) {
            events.add(new Pin(0, TraceEvent.NO_TIMESTAMP, Tree.L4 << 12, 4));
            events.add(new Unpin(0, TraceEvent.NO_TIMESTAMP, Tree.L4 << 12, 4));
        }
    }

    @Benchmark
    public long buildThenPinAndUnpinTenTimes() {
        return replay();
    }
}
