package dev.mmutrace.analyze;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.mmutrace.replay.observe.Flush;
import dev.mmutrace.replay.observe.MissedFlush;
import dev.mmutrace.report.FlushCounts;
import dev.mmutrace.report.Flushes;
import dev.mmutrace.report.MissedFlushRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Flushes as SPEC §4 classifies them, split by kind (what flushed) and origin (the guest asked, or
 * the model generated it), plus the missed flushes and the IPIs the flushes cost.
 */
final class FlushAnalyzer {
    /** Each origin's report key, lowercased once rather than per flush (a per-event cost in JFR). */
    private static final String[] ORIGIN_KEYS = Arrays.stream(Flush.Origin.values())
            .map(o -> o.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);
    private static final String[] WHY_KEYS = Arrays.stream(MissedFlush.Why.values())
            .map(w -> w.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);
    /** The flush kind Xen's TLB-clock filter forces on a type change (docs/report-format.md). */
    static final String TYPE_CHANGE_IPI = "type_change_ipi";

    /** Per kind: flushes, needed, over-broad at [0], [1], [2]. */
    private final Map<String, long[]> byKind = new HashMap<>();
    /** The same three counts per origin, at 3 * ordinal. */
    private final long[] byOrigin = new long[3 * ORIGIN_KEYS.length];
    private final Tally missedBy = new Tally();
    /** The first missed flushes in full, as many as the first validation failures. */
    private final List<MissedFlushRecord> missedFirst = new ArrayList<>();
    private long total;
    private long needed;
    private long overBroad;
    private long staleRemoved;
    private long missed;
    private long ipis;
    private long typeChangeIpis;

    void observe(Flush f) {
        total++;
        if (f.needed()) {
            needed++;
        }
        if (f.overBroad()) {
            overBroad++;
        }
        staleRemoved += f.staleRemoved();
        count(byKind.computeIfAbsent(f.kind(), k -> new long[3]), 0, f);
        count(byOrigin, 3 * f.origin().ordinal(), f);
        if (TYPE_CHANGE_IPI.equals(f.kind())) {
            typeChangeIpis++;
            // Xen interrupts every CPU the filter kept; none of them asked for it.
            ipis += Math.max(1, f.targets());
        } else {
            // The vCPU that flushes does it itself; every other one it reaches takes an IPI.
            ipis += Math.max(0, f.targets() - 1);
        }
    }

    void observe(MissedFlush m) {
        missed++;
        missedBy.add(WHY_KEYS[m.why().ordinal()], 1);
        if (missedFirst.size() < FailureAnalyzer.FIRST) {
            missedFirst.add(new MissedFlushRecord(m.event(), m.cpu(), "0x" + Long.toHexString(m.vaddr()),
                    WHY_KEYS[m.why().ordinal()]));
        }
    }

    private static void count(long[] c, int at, Flush f) {
        c[at]++;
        if (f.needed()) {
            c[at + 1]++;
        }
        if (f.overBroad()) {
            c[at + 2]++;
        }
    }

    long ipis() {
        return ipis;
    }

    long typeChangeIpis() {
        return typeChangeIpis;
    }

    Flushes report() {
        ImmutableSortedMap.Builder<String, FlushCounts> kindCounts = ImmutableSortedMap.naturalOrder();
        byKind.forEach((kind, c) -> kindCounts.put(kind, counts(c, 0)));
        // an origin no flush had is left out, as a kind no flush had is
        ImmutableSortedMap.Builder<String, FlushCounts> originCounts = ImmutableSortedMap.naturalOrder();
        for (int o = 0; o < ORIGIN_KEYS.length; o++) {
            if (byOrigin[3 * o] > 0) {
                originCounts.put(ORIGIN_KEYS[o], counts(byOrigin, 3 * o));
            }
        }
        return new Flushes(total, needed, total - needed, missed, overBroad, staleRemoved, kindCounts.build(),
                originCounts.build(), missedBy.toMap(), ImmutableList.copyOf(missedFirst));
    }

    private static FlushCounts counts(long[] c, int at) {
        return new FlushCounts(c[at], c[at + 1], c[at] - c[at + 1], c[at + 2]);
    }
}
