package dev.mmutrace.jmh;

import dev.mmutrace.trace.SetPgd;
import dev.mmutrace.trace.SetPmd;
import dev.mmutrace.trace.SetPte;
import dev.mmutrace.trace.SetPud;
import dev.mmutrace.trace.TraceEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * A 4level user address space for the benchmarks: one L4, L3 and L2, {@code tables} L1 tables,
 * every L1 entry mapping its own data frame present, writable and user (0x7). vaddr
 * {@code i << 12} for {@code i < pages()} is mapped; the tables sit at pfns 0x100.. and the data
 * frames from 0x1000, all inside {@link #PFN_LIMIT}.
 */
final class Tree {
    static final long PFN_LIMIT = 0x10000;
    static final long L4 = 0x100;
    static final long L3 = 0x101;
    static final long L2 = 0x102;
    static final long FIRST_L1 = 0x110;
    static final long FIRST_DATA = 0x1000;
    static final long PRW_USER = 0x7;

    final int tables;

    Tree(int tables) {
        this.tables = tables;
    }

    int pages() {
        return tables * 512;
    }

    static long gpa(long pfn, int index) {
        return (pfn << 12) + index * 8L;
    }

    /** The entry updates that build the tree, top down, as a guest would write them. */
    List<TraceEvent> build() {
        List<TraceEvent> events = new ArrayList<>();
        events.add(new SetPgd(0, TraceEvent.NO_TIMESTAMP, gpa(L4, 0), (L3 << 12) | PRW_USER, TraceEvent.NO_ADDRESS));
        events.add(new SetPud(0, TraceEvent.NO_TIMESTAMP, gpa(L3, 0), (L2 << 12) | PRW_USER));
        for (int t = 0; t < tables; t++) {
            events.add(new SetPmd(0, TraceEvent.NO_TIMESTAMP, gpa(L2, t), ((FIRST_L1 + t) << 12) | PRW_USER));
            for (int i = 0; i < 512; i++) {
                long data = FIRST_DATA + t * 512L + i;
                events.add(new SetPte(0, TraceEvent.NO_TIMESTAMP, gpa(FIRST_L1 + t, i), (data << 12) | PRW_USER));
            }
        }
        return events;
    }
}
