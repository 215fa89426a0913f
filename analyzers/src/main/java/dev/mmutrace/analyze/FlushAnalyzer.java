package dev.mmutrace.analyze;

import com.google.common.collect.ImmutableSortedMap;
import dev.mmutrace.replay.observe.Flush;
import dev.mmutrace.replay.observe.MissedFlush;
import dev.mmutrace.report.FlushCounts;
import dev.mmutrace.report.Flushes;
import java.util.Arrays;
import java.util.HashMap;
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
    /** The flush kind Xen's TLB-clock filter forces on a type change (docs/report-format.md). */
    static final String TYPE_CHANGE_IPI = "type_change_ipi";

    private final Map<String, long[]> byKind = new HashMap<>();
    private final Map<String, long[]> byOrigin = new HashMap<>();
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
        count(byKind, f.kind(), f);
        count(byOrigin, ORIGIN_KEYS[f.origin().ordinal()], f);
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
        missedBy.add(m.why().name().toLowerCase(Locale.ROOT), 1);
    }

    private static void count(Map<String, long[]> map, String key, Flush f) {
        long[] c = map.computeIfAbsent(key, k -> new long[3]);
        c[0]++;
        if (f.needed()) {
            c[1]++;
        }
        if (f.overBroad()) {
            c[2]++;
        }
    }

    long ipis() {
        return ipis;
    }

    long typeChangeIpis() {
        return typeChangeIpis;
    }

    Flushes report() {
        return new Flushes(total, needed, total - needed, missed, overBroad, staleRemoved, counts(byKind),
                counts(byOrigin), missedBy.toMap());
    }

    private static ImmutableSortedMap<String, FlushCounts> counts(Map<String, long[]> map) {
        ImmutableSortedMap.Builder<String, FlushCounts> b = ImmutableSortedMap.naturalOrder();
        map.forEach((k, c) -> b.put(k, new FlushCounts(c[0], c[1], c[0] - c[1], c[2])));
        return b.build();
    }
}
