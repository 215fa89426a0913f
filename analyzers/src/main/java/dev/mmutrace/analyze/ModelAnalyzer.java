package dev.mmutrace.analyze;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.mmutrace.analyze.Timeline.Column;
import dev.mmutrace.replay.ModelFactory;
import dev.mmutrace.replay.WorkCounter;
import dev.mmutrace.replay.observe.Exit;
import dev.mmutrace.replay.observe.Fault;
import dev.mmutrace.replay.observe.Flush;
import dev.mmutrace.replay.observe.GapUncertainty;
import dev.mmutrace.replay.observe.FullValidation;
import dev.mmutrace.replay.observe.Hypercall;
import dev.mmutrace.replay.observe.IgnoredEvent;
import dev.mmutrace.replay.observe.MissedFlush;
import dev.mmutrace.replay.observe.Multicall;
import dev.mmutrace.replay.observe.Observation;
import dev.mmutrace.replay.observe.ObservationVisitor;
import dev.mmutrace.replay.observe.PgdirEviction;
import dev.mmutrace.replay.observe.PgdirSwitch;
import dev.mmutrace.replay.observe.PinChange;
import dev.mmutrace.replay.observe.PtwrEmulation;
import dev.mmutrace.replay.observe.Remark;
import dev.mmutrace.replay.observe.ShadowClearAll;
import dev.mmutrace.replay.observe.ShadowDiscard;
import dev.mmutrace.replay.observe.ShadowFill;
import dev.mmutrace.replay.observe.ShadowPage;
import dev.mmutrace.replay.observe.StackRepin;
import dev.mmutrace.replay.observe.TypeChange;
import dev.mmutrace.replay.observe.UnknownStateWalk;
import dev.mmutrace.replay.observe.ValidationFailure;
import dev.mmutrace.replay.observe.Work;
import dev.mmutrace.report.CostItem;
import dev.mmutrace.report.Exits;
import dev.mmutrace.report.Faults;
import dev.mmutrace.report.GapUncertain;
import dev.mmutrace.report.Hypercalls;
import dev.mmutrace.report.ModelReport;
import dev.mmutrace.report.RemarkEntry;
import dev.mmutrace.report.ShadowChurn;
import dev.mmutrace.report.XenWork;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Turns one model's observations, in the order it made them, into that model's report. It sees
 * nothing but observations (SPEC §5): every figure in the report is a count of them, so each can
 * be traced back to the events that caused it. Each kind of observation has its own method
 * ({@link ObservationVisitor}).
 */
public final class ModelAnalyzer implements ObservationVisitor {
    private final String model;
    private final int levels;
    private final CostTable costs;
    private final Timeline timeline;
    private final LongSupplier origin;
    private final FailureAnalyzer failures = new FailureAnalyzer();
    private final FlushAnalyzer flushes = new FlushAnalyzer();
    private final XenAnalyzer xen = new XenAnalyzer();
    private final ShadowAnalyzer shadow = new ShadowAnalyzer();
    private final Tally exitsByCause = new Tally();
    private final Tally hypercallsByName = new Tally();
    private final Tally ignored = new Tally();
    private final Map<String, long[]> remarkCounts = new LinkedHashMap<>();
    private final Map<String, Remark> remarkFirst = new LinkedHashMap<>();
    private long exits;
    private long unknownStateWalks;
    /** Figures resting on what a gap left unknown, by {@link GapUncertainty.Kind}. */
    private final long[] gapUncertain = new long[GapUncertainty.Kind.values().length];
    private long guestFaults;
    private long spuriousFaults;
    private long hiddenFaults;
    private long reflectedFaults;
    /** The model's own counters ({@link Work}) in declared order, their totals at the same index. */
    private final ImmutableList<WorkCounter> counters;
    private final Map<String, Integer> counterIndex = new HashMap<>();
    private final long[] work;

    /**
     * @param levels the trace's paging levels, the walk length the cost estimate charges per fault and fill
     * @param counters the counters of its own work the model declared ({@link ModelFactory#counters()})
     * @param interval events per time-series bucket, or 0 for an automatic interval
     */
    public ModelAnalyzer(String model, int levels, List<WorkCounter> counters, CostTable costs, long interval) {
        this(model, levels, counters, costs, interval, () -> 0);
    }

    /**
     * A model's analyzer for the events from {@code origin} on: a window's first event, which
     * the replay learns as it reaches the window (docs/report-format.md, Windows).
     */
    public ModelAnalyzer(String model, int levels, List<WorkCounter> counters, CostTable costs, long interval,
            LongSupplier origin) {
        this.origin = origin;
        this.model = model;
        this.levels = levels;
        this.costs = costs;
        this.counters = ImmutableList.copyOf(counters);
        for (int i = 0; i < counters.size(); i++) {
            counterIndex.put(counters.get(i).name(), i);
        }
        this.work = new long[counters.size()];
        this.timeline = new Timeline(interval, counters.size(), origin);
    }

    /** Takes one observation, in the order the model made it. */
    public void observe(Observation o) {
        o.accept(this);
    }

    @Override
    public void visit(ValidationFailure f) {
        failures.observe(f);
        timeline.add(Column.VALIDATION_FAILURES, f.event(), 1);
    }

    @Override
    public void visit(Flush f) {
        flushes.observe(f);
        timeline.add(Column.FLUSHES, f.event(), 1);
        if (!f.needed()) {
            timeline.add(Column.WASTED_FLUSHES, f.event(), 1);
        }
    }

    @Override
    public void visit(MissedFlush m) {
        flushes.observe(m);
        timeline.add(Column.MISSED_FLUSHES, m.event(), 1);
    }

    @Override
    public void visit(Fault f) {
        countFault(f);
        timeline.add(Column.FAULTS, f.event(), 1);
    }

    @Override
    public void visit(Exit x) {
        exits++;
        exitsByCause.add(x.cause(), 1);
        timeline.add(Column.EXITS, x.event(), 1);
    }

    @Override
    public void visit(Hypercall h) {
        hypercallsByName.add(h.name(), 1);
        xen.hypercall(h);
        if (!h.inMulticall()) {
            timeline.add(Column.HYPERCALLS, h.event(), 1);
        }
    }

    @Override
    public void visit(Multicall m) {
        xen.multicall(m);
        timeline.add(Column.HYPERCALLS, m.event(), 1);
    }

    @Override
    public void visit(UnknownStateWalk w) {
        unknownStateWalks++;
        timeline.add(Column.UNKNOWN_STATE, w.event(), 1);
    }

    @Override
    public void visit(GapUncertainty g) {
        gapUncertain[g.kind().ordinal()]++;
        timeline.add(Column.UNKNOWN_STATE, g.event(), 1);
    }

    @Override
    public void visit(IgnoredEvent i) {
        ignored.add(i.what(), 1);
    }

    @Override
    public void visit(Remark r) {
        remarkCounts.computeIfAbsent(r.key(), k -> new long[1])[0]++;
        remarkFirst.putIfAbsent(r.key(), r);
    }

    @Override
    public void visit(Work w) {
        Integer i = counterIndex.get(w.counter());
        if (i == null) {
            throw new IllegalStateException("model " + model + " counted '" + w.counter()
                    + "', which its factory does not declare (declared: " + counterIndex.keySet() + ")");
        }
        work[i] += w.count();
        timeline.addToCounter(i, w.event(), w.count());
    }

    @Override
    public void visit(PtwrEmulation p) {
        xen.ptwrEmulation();
    }

    @Override
    public void visit(PinChange p) {
        xen.pinChange(p);
    }

    @Override
    public void visit(FullValidation v) {
        xen.fullValidation(v);
    }

    @Override
    public void visit(TypeChange t) {
        xen.typeChange();
    }

    @Override
    public void visit(PgdirSwitch s) {
        shadow.pgdirSwitch(s);
        if (!s.hit()) {
            timeline.add(Column.PGDIR_MISSES, s.event(), 1);
        }
    }

    @Override
    public void visit(PgdirEviction e) {
        shadow.pgdirEviction();
    }

    @Override
    public void visit(ShadowPage p) {
        shadow.shadowPage(p);
    }

    @Override
    public void visit(ShadowFill f) {
        shadow.shadowFill(f);
        timeline.add(Column.SHADOW_FILLS, f.event(), 1);
    }

    @Override
    public void visit(ShadowDiscard d) {
        shadow.shadowDiscard(d);
        timeline.add(Column.SHADOW_DISCARDED, d.event(), d.entries());
    }

    @Override
    public void visit(ShadowClearAll c) {
        shadow.clearAll();
    }

    @Override
    public void visit(StackRepin r) {
        shadow.stackRepin();
    }

    private void countFault(Fault f) {
        switch (f.kind()) {
            case GUEST -> guestFaults++;
            case SPURIOUS -> spuriousFaults++;
            case HIDDEN -> hiddenFaults++;
            case REFLECTED -> reflectedFaults++;
            default -> throw new IllegalStateException("unknown fault kind " + f.kind());
        }
    }

    Timeline timeline() {
        return timeline;
    }

    /** The model's report for a trace of {@code events} events, its series in buckets of {@code seriesInterval}. */
    public ModelReport report(long events, long seriesInterval) {
        long killedAt = failures.killedAtEvent();
        long replayed = remarkCounts.containsKey(WindowGate.STOPPED_BEFORE) ? 0
                : killedAt >= 0 ? Math.min(events, killedAt + 1 - origin.getAsLong()) : events;
        // A section for the work the model did, whichever model it is: it says what it did by observing it.
        Optional<XenWork> xenWork = xen.seen() ? Optional.of(xen.report(flushes.typeChangeIpis())) : Optional.empty();
        Optional<ShadowChurn> churn = shadow.seen()
                ? Optional.of(shadow.report(killedAt, failures.killReason())) : Optional.empty();
        ImmutableSortedMap<String, CostItem> cost = cost();
        long cycles = 0;
        for (CostItem c : cost.values()) {
            cycles += c.cycles();
        }
        GapUncertain afterGaps = new GapUncertain(gapUncertain[GapUncertainty.Kind.ENTRY_BEFORE_GAP.ordinal()],
                gapUncertain[GapUncertainty.Kind.TLB_SINCE_GAP.ordinal()]);
        return new ModelReport(replayed, unknownStateWalks, afterGaps,
                ModelReport.onUnknownState(unknownStateWalks, afterGaps), failures.report(), flushes.report(),
                new Faults(guestFaults, spuriousFaults, hiddenFaults, reflectedFaults),
                new Exits(exits, exitsByCause.toMap()),
                new Hypercalls(xen.hypercalls(), hypercallsByName.toMap()),
                xenWork, churn, workReport(), ignored.toMap(), remarks(), cost, cycles,
                timeline.series(events, seriesInterval, counterNames()));
    }

    private List<String> counterNames() {
        List<String> names = new ArrayList<>();
        counters.forEach(c -> names.add(c.name()));
        return names;
    }

    /** The model's own counters, when it declares any. */
    private Optional<ImmutableSortedMap<String, Long>> workReport() {
        if (counters.isEmpty()) {
            return Optional.empty();
        }
        ImmutableSortedMap.Builder<String, Long> b = ImmutableSortedMap.naturalOrder();
        for (int i = 0; i < counters.size(); i++) {
            b.put(counters.get(i).name(), work[i]);
        }
        return Optional.of(b.build());
    }

    private ImmutableList<RemarkEntry> remarks() {
        ImmutableList.Builder<RemarkEntry> b = ImmutableList.builder();
        remarkFirst.forEach((k, r) -> b.add(new RemarkEntry(k, r.event(), r.text(), remarkCounts.get(k)[0])));
        return b.build();
    }

    /**
     * Counts times prices (docs/cost-model.md). A walk is charged for every fault the hardware
     * took and every shadow fill (the host walks the guest's tables in software), each of the
     * trace's paging levels. A model's own counters are charged under their cost keys, added to
     * the fixed items' counts where they share a key.
     */
    private ImmutableSortedMap<String, CostItem> cost() {
        long walks = guestFaults + hiddenFaults + reflectedFaults + shadow.entriesFilled();
        ImmutableSortedMap<String, CostItem> fixed = ImmutableSortedMap.<String, CostItem>naturalOrder()
                .put(CostTable.HYPERCALL, item(xen.hypercalls(), costs.hypercall()))
                .put(CostTable.EXIT, item(exits, costs.exit()))
                .put(CostTable.PTWR_EMULATION, item(xen.ptwrEmulations(), costs.ptwrEmulation()))
                .put(CostTable.VALIDATED_ENTRY, item(xen.entriesValidated(), costs.validatedEntry()))
                .put(CostTable.SHADOW_FILL, item(shadow.entriesFilled(), costs.shadowFill()))
                .put(CostTable.WALK_LEVEL, item(walks * levels, costs.walkLevel()))
                .put(CostTable.IPI, item(flushes.ipis(), costs.ipi()))
                .put(CostTable.MULTICALL_ENTRY, item(xen.multicallEntries(), costs.multicallEntry()))
                .build();
        if (counters.isEmpty()) {
            return fixed;
        }
        Map<String, Long> counts = new TreeMap<>();
        fixed.forEach((key, c) -> counts.put(key, c.count()));
        for (int i = 0; i < counters.size(); i++) {
            counts.merge(counters.get(i).costKey(), work[i], Math::addExact);
        }
        Map<String, Long> prices = new HashMap<>(costs.asMap());
        ImmutableSortedMap.Builder<String, CostItem> b = ImmutableSortedMap.naturalOrder();
        for (WorkCounter c : counters) {
            prices.putIfAbsent(c.costKey(), c.defaultCycles());
        }
        counts.forEach((key, n) -> b.put(key, item(n, prices.get(key))));
        return b.build();
    }

    private static CostItem item(long count, long each) {
        return new CostItem(count, each, Math.multiplyExact(count, each));
    }
}
