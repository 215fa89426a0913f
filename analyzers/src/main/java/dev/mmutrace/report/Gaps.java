package dev.mmutrace.report;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import java.util.Optional;

/**
 * The gaps of a trace: where its tracer lost events (SPEC §2.2), counted, by vCPU, and each one
 * by its event number, so a figure marked as resting on unknown state can be traced to the gap
 * before it. {@code eventsLost} adds up the counts the tracer gave; {@code ofUnknownSize} gaps
 * gave none. With a window, only the gaps inside it.
 */
public record Gaps(long count, long eventsLost, long ofUnknownSize, ImmutableSortedMap<Integer, VcpuGaps> byVcpu,
        ImmutableList<Entry> list) {

    public static final Gaps NONE = new Gaps(0, 0, 0, ImmutableSortedMap.of(), ImmutableList.of());

    /** One vCPU's gaps. */
    public record VcpuGaps(long count, long eventsLost, long ofUnknownSize) {
    }

    /** One gap: its event number (as in the whole trace), its vCPU and, when the tracer gave it, how many events it lost. */
    public record Entry(long event, int cpu, Optional<Long> lostEvents) {
    }

    /** Gaps the text and HTML reports list one by one; the JSON lists all. */
    static final int LISTED = 10;

    /** What the text and HTML reports say of the gaps: counts, by vCPU, and the first ones by event. */
    String described() {
        StringBuilder b = new StringBuilder().append(FigureRows.num(count)).append(count == 1 ? " gap" : " gaps")
                .append(" where the tracer lost events: ").append(FigureRows.num(eventsLost)).append(" events lost");
        if (ofUnknownSize > 0) {
            b.append(" and ").append(FigureRows.num(ofUnknownSize)).append(" gap").append(ofUnknownSize == 1 ? "" : "s")
                    .append(" of unknown size");
        }
        String separator = "; ";
        for (var v : byVcpu.entrySet()) {
            b.append(separator).append("vCPU ").append(v.getKey()).append(": ").append(FigureRows.num(v.getValue().count()));
            separator = ", ";
        }
        b.append("; at event");
        for (int i = 0; i < Math.min(list.size(), LISTED); i++) {
            Entry e = list.get(i);
            b.append(i == 0 ? " " : ", ").append(FigureRows.num(e.event())).append(" (vCPU ").append(e.cpu()).append(", ")
                    .append(e.lostEvents().map(n -> FigureRows.num(n) + " lost").orElse("size unknown")).append(')');
        }
        if (list.size() > LISTED) {
            b.append(" and ").append(FigureRows.num(list.size() - LISTED)).append(" more (trace.gaps.list in JSON)");
        }
        return b.toString();
    }

    /** The gaps of {@code list}, in event order, added up. */
    public static Gaps of(ImmutableList<Entry> list) {
        long lost = 0;
        long unknown = 0;
        java.util.TreeMap<Integer, long[]> byVcpu = new java.util.TreeMap<>();
        for (Entry e : list) {
            long[] v = byVcpu.computeIfAbsent(e.cpu(), c -> new long[3]);
            v[0]++;
            if (e.lostEvents().isPresent()) {
                lost += e.lostEvents().get();
                v[1] += e.lostEvents().get();
            } else {
                unknown++;
                v[2]++;
            }
        }
        ImmutableSortedMap.Builder<Integer, VcpuGaps> b = ImmutableSortedMap.naturalOrder();
        byVcpu.forEach((cpu, v) -> b.put(cpu, new VcpuGaps(v[0], v[1], v[2])));
        return new Gaps(list.size(), lost, unknown, b.build(), list);
    }
}
