package dev.mmutrace.analyze;

import com.google.common.collect.ImmutableSortedMap;
import dev.mmutrace.replay.observe.Flush;
import dev.mmutrace.replay.observe.MissedFlush;
import dev.mmutrace.report.FlushCounts;
import dev.mmutrace.report.Flushes;
import java.util.Arrays;
import java.util.Locale;

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

    /** Per kind, numbered by {@link #kinds}: flushes, needed, over-broad at [3i], [3i+1], [3i+2]. */
    private final NameIndex kinds = new NameIndex();
    private long[] byKind = new long[3 * 8];
    /** The same three counts per origin, at 3 * ordinal. */
    private final long[] byOrigin = new long[3 * ORIGIN_KEYS.length];
    private final Tally missedBy = new Tally();
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
        int kind = kinds.indexOf(f.kind());
        if (3 * kind == byKind.length) {
            byKind = Arrays.copyOf(byKind, byKind.length * 2);
        }
        count(byKind, 3 * kind, f);
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
        for (int i = 0; i < kinds.size(); i++) {
            kindCounts.put(kinds.name(i), counts(byKind, 3 * i));
        }
        // an origin no flush had is left out, as a kind no flush had is
        ImmutableSortedMap.Builder<String, FlushCounts> originCounts = ImmutableSortedMap.naturalOrder();
        for (int o = 0; o < ORIGIN_KEYS.length; o++) {
            if (byOrigin[3 * o] > 0) {
                originCounts.put(ORIGIN_KEYS[o], counts(byOrigin, 3 * o));
            }
        }
        return new Flushes(total, needed, total - needed, missed, overBroad, staleRemoved, kindCounts.build(),
                originCounts.build(), missedBy.toMap());
    }

    private static FlushCounts counts(long[] c, int at) {
        return new FlushCounts(c[at], c[at + 1], c[at] - c[at + 1], c[at + 2]);
    }
}
