package dev.mmutrace.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The figures table every human-readable report shows, one row per figure and one cell per model:
 * the text report and the HTML page render the same rows.
 */
final class FigureRows {
    static final String NONE = "-";

    private FigureRows() {
    }

    /** One table row: a label and how to get its cell from a model's report ("-" when it does not apply). */
    record Row(String label, Function<ModelReport, Optional<String>> cell) {
    }

    static final List<Row> ROWS = List.of(
            row("events replayed", m -> n(m.eventsReplayed())),
            row("unknown-state walks", m -> n(m.unknownStateWalks())),
            row("validation failures", m -> n(m.validationFailures().total())),
            row("flushes", m -> n(m.flushes().total())),
            row("  needed / wasted", m -> pair(m.flushes().needed(), m.flushes().wasted())),
            row("  missed", m -> n(m.flushes().missed())),
            row("  over-broad", m -> n(m.flushes().overBroad())),
            row("faults guest / spurious", m -> pair(m.faults().guest(), m.faults().spurious())),
            row("  hidden / reflected", m -> pair(m.faults().hidden(), m.faults().reflected())),
            row("exits", m -> n(m.exits().total())),
            row("hypercalls (traps)", m -> n(m.hypercalls().total())),
            new Row("xen multicalls / entries", m -> m.xen().map(x -> pairText(x.multicalls(), x.multicallEntries()))),
            new Row("  mmu_update entries", m -> m.xen().map(x -> num(x.mmuUpdates()))),
            new Row("  ptwr emulations", m -> m.xen().map(x -> num(x.ptwrEmulations()))),
            new Row("  pins / unpins", m -> m.xen().map(x -> pairText(x.pins(), x.unpins()))),
            new Row("  full validations", m -> m.xen().map(x -> num(x.fullValidations()))),
            new Row("  entries validated", m -> m.xen().map(x -> num(x.entriesValidated()))),
            new Row("  type changes", m -> m.xen().map(x -> num(x.typeChanges()))),
            new Row("  forced flush IPIs", m -> m.xen().map(x -> num(x.forcedFlushIpis()))),
            new Row("shadow pgdirs used / missed", m -> m.shadow().map(s -> pairText(s.pgdirSwitches(), s.pgdirMisses()))),
            new Row("  evictions / reused", m -> m.shadow().map(s -> pairText(s.pgdirEvictions(), s.evictedThenReused()))),
            new Row("  pte pages alloc / freed", m -> m.shadow().map(s -> pairText(s.ptePagesAllocated(), s.ptePagesFreed()))),
            new Row("  entries filled / refills", m -> m.shadow().map(s -> pairText(s.entriesFilled(), s.refills()))),
            new Row("  discarded / still valid", m -> m.shadow().map(s -> pairText(s.entriesDiscarded(), s.entriesDiscardedValid()))),
            new Row("  clear-alls / stack repins", m -> m.shadow().map(s -> pairText(s.clearAll(), s.stackRepins()))),
            new Row("  killed at event", m -> m.shadow().map(s -> s.killedAtEvent() < 0 ? NONE : num(s.killedAtEvent()))),
            row("estimated cycles", m -> n(m.estimatedCycles())));

    private static final int UNKNOWN_STATE_WALKS = 1;

    /** Shown when a gap made some figure uncertain (docs/mmu.md, "After a gap"). */
    static final List<Row> GAP_ROWS = List.of(
            row("  walks of entries from before a gap", m -> n(m.gapUncertain().entryBeforeGap())),
            row("  flushes of TLBs a gap left unknown", m -> n(m.gapUncertain().tlbSinceGap())),
            row("figures on unknown state", m -> n(m.figuresOnUnknownState())));

    /**
     * The rows for these models: {@link #ROWS}, with {@link #GAP_ROWS} when a gap made a figure
     * uncertain, with a row per counter of the models' own work
     * (the JSON report's {@code work}, by its name) before the estimated cycles.
     */
    static List<Row> rows(Collection<ModelReport> models) {
        SortedSet<String> counters = new TreeSet<>();
        models.forEach(m -> m.work().ifPresent(w -> counters.addAll(w.keySet())));
        boolean afterGaps = models.stream().anyMatch(m -> m.gapUncertain().total() > 0);
        if (counters.isEmpty() && !afterGaps) {
            return ROWS;
        }
        List<Row> rows = new ArrayList<>(ROWS.subList(0, ROWS.size() - 1));
        if (afterGaps) {
            // under the unknown-state walks: the other figures that rested on unknown state
            rows.addAll(UNKNOWN_STATE_WALKS + 1, GAP_ROWS);
        }
        for (String c : counters) {
            rows.add(new Row(c, m -> m.work().flatMap(w -> Optional.ofNullable(w.get(c))).map(FigureRows::num)));
        }
        rows.add(ROWS.get(ROWS.size() - 1));
        return rows;
    }

    private static Row row(String label, Function<ModelReport, Optional<String>> cell) {
        return new Row(label, cell);
    }

    private static Optional<String> n(long v) {
        return Optional.of(num(v));
    }

    private static Optional<String> pair(long a, long b) {
        return Optional.of(pairText(a, b));
    }

    /** A count as every human-readable report shows it: with thousands separators, 1,603,705. */
    static String num(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    private static String pairText(long a, long b) {
        return num(a) + " / " + num(b);
    }

}
