package dev.mmutrace.jmh;

import dev.mmutrace.replay.ModelFactory;
import dev.mmutrace.trace.P2m;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.Pin;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.Unpin;
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
 * The Xen validator: a guest builds a tree of {@code tables} L1 tables (512 present entries
 * each), then pins and unpins its L4 ten times. Each pin is the guest port's walk of the tree
 * (every page made read-only, PIN_L1_TABLE per PTE page) and Xen's full validation of every
 * entry; each unpin drops the types again. One operation is the whole trace through a fresh
 * xen model.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class XenValidationBench {
    @Param({"8"})
    public int tables;

    private TraceHeader header;
    private List<TraceEvent> events;
    private ModelFactory xen;

    @Setup
    public void setUp() {
        header = TraceHeader.defaults(PagingMode.FOUR_LEVEL, 1, Tree.PFN_LIMIT).withP2m(P2m.PERMUTATION);
        events = new ArrayList<>(new Tree(tables).build());
        for (int round = 0; round < 10; round++) {
            events.add(new Pin(0, TraceEvent.NO_TIMESTAMP, Tree.L4 << 12, 4));
            events.add(new Unpin(0, TraceEvent.NO_TIMESTAMP, Tree.L4 << 12, 4));
        }
        xen = ModelTraces.model("xen");
    }

    @Benchmark
    public long buildThenPinAndUnpinTenTimes() {
        return ModelTraces.replay(header, events, xen);
    }
}
