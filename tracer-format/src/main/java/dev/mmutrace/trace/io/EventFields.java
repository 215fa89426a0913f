package dev.mmutrace.trace.io;

import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.AllocPt;
import dev.mmutrace.trace.EventType;
import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.Gap;
import dev.mmutrace.trace.LazyMmu;
import dev.mmutrace.trace.PageFault;
import dev.mmutrace.trace.Pin;
import dev.mmutrace.trace.PtepModifyProt;
import dev.mmutrace.trace.ReleasePt;
import dev.mmutrace.trace.SetPgd;
import dev.mmutrace.trace.SetPmd;
import dev.mmutrace.trace.SetPte;
import dev.mmutrace.trace.SetPteAt;
import dev.mmutrace.trace.SetPud;
import dev.mmutrace.trace.SetStack;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.Unpin;
import dev.mmutrace.trace.WriteCr3;
import java.util.OptionalLong;

/**
 * Which fields each kind of event has: the one list both writers work from. {@link #visit} hands
 * an event's fields, one call per field, then its kind, cpu and timestamp, to a {@link Sink}; the
 * CSV writer turns the calls into cells, the batch encoder into column values. A new event kind is
 * one more case here (and its record); the writers need no change unless it brings a new field.
 */
final class EventFields {
    private EventFields() {
    }

    /** Takes an event's fields one at a time. Optional addresses arrive as {@link TraceEvent#NO_ADDRESS} when absent. */
    interface Sink {
        /** The last call for each event: what every event has. */
        void event(EventType type, int cpu, long timestampNs);

        void mm(long mm);

        void vaddr(long vaddr);

        void entryGpa(long entryGpa);

        void value(long value);

        void userEntryGpa(long userEntryGpa);

        void pgd(long pgd);

        void root(WriteCr3.Root root);

        void errorCode(int errorCode);

        void ip(long ip);

        void tableGpa(long tableGpa);

        void level(int level);

        void pfn(long pfn);

        void pinned(boolean pinned);

        /** A flush's scope; its other fields follow. */
        void scope(FlushTlb.Scope scope);

        void flushVaddr(long vaddr);

        void vaddrEnd(long vaddrEnd);

        /** A flush's targets: 0 and 0 for any scope but multi. */
        void targets(long cpus, int cpuCount);

        void flushMm(long mm);

        void phase(LazyMmu.Phase phase);

        void pages(int pages);

        void accessKind(Access.Kind kind);

        void user(boolean user);

        void lostEvents(OptionalLong lostEvents);
    }

    /**
     * Hands {@code event}'s fields to {@code sink}, in the order its record declares them, then
     * its kind, cpu and timestamp. One type test per record class, most common first, picks the
     * event's case; inside it the record's own accessors are plain calls. Asking the event its
     * {@code type()}, {@code cpu()} and {@code timestampNs()} through {@link TraceEvent} would be an
     * interface call on a dozen record classes each (megamorphic: no inlining, a hard-to-predict
     * jump), several per event on the writers' paths. The cases only note what every event has,
     * and one call after them hands it over, so the JIT inlines the sink's {@code event} once
     * rather than in every case.
     */
    static void visit(TraceEvent event, Sink sink) {
        EventType type;
        int cpu;
        long timestampNs;
        if (event instanceof SetPteAt e) {
            type = e.type();
            cpu = e.cpu();
            timestampNs = e.timestampNs();
            sink.mm(e.mm());
            sink.vaddr(e.vaddr());
            entry(e.entryGpa(), e.value(), sink);
        } else if (event instanceof SetPmd e) {
            type = e.type();
            cpu = e.cpu();
            timestampNs = e.timestampNs();
            entry(e.entryGpa(), e.value(), sink);
        } else if (event instanceof AllocPt e) {
            type = e.type();
            cpu = e.cpu();
            timestampNs = e.timestampNs();
            tablePage(e.pfn(), e.level(), e.pinned(), sink);
        } else if (event instanceof ReleasePt e) {
            type = e.type();
            cpu = e.cpu();
            timestampNs = e.timestampNs();
            tablePage(e.pfn(), e.level(), e.pinned(), sink);
        } else if (event instanceof SetPgd e) {
            type = e.type();
            cpu = e.cpu();
            timestampNs = e.timestampNs();
            entry(e.entryGpa(), e.value(), sink);
            sink.userEntryGpa(e.userEntryGpa());
        } else if (event instanceof SetPte e) {
            type = e.type();
            cpu = e.cpu();
            timestampNs = e.timestampNs();
            entry(e.entryGpa(), e.value(), sink);
        } else if (event instanceof SetPud e) {
            type = e.type();
            cpu = e.cpu();
            timestampNs = e.timestampNs();
            entry(e.entryGpa(), e.value(), sink);
        } else if (event instanceof PageFault e) {
            type = e.type();
            cpu = e.cpu();
            timestampNs = e.timestampNs();
            sink.vaddr(e.vaddr());
            sink.errorCode(e.errorCode());
            sink.ip(e.ip());
        } else if (event instanceof WriteCr3 e) {
            type = e.type();
            cpu = e.cpu();
            timestampNs = e.timestampNs();
            sink.pgd(e.pgd());
            sink.root(e.root());
        } else if (event instanceof LazyMmu e) {
            type = e.type();
            cpu = e.cpu();
            timestampNs = e.timestampNs();
            sink.phase(e.phase());
        } else {
            rarer(event, sink);
            return;
        }
        sink.event(type, cpu, timestampNs);
    }

    /** The kinds a trace holds few of (or none, from the ftrace importer), kept out of the hot method. */
    private static void rarer(TraceEvent event, Sink sink) {
        if (event instanceof FlushTlb e) {
            sink.scope(e.scope());
            sink.flushVaddr(e.vaddr());
            sink.vaddrEnd(e.vaddrEnd());
            sink.targets(e.cpus(), e.cpuCount());
            sink.flushMm(e.mm());
        } else if (event instanceof Pin e) {
            pinning(e.tableGpa(), e.level(), sink);
        } else if (event instanceof Unpin e) {
            pinning(e.tableGpa(), e.level(), sink);
        } else if (event instanceof PtepModifyProt e) {
            sink.mm(e.mm());
            sink.vaddr(e.vaddr());
            entry(e.entryGpa(), e.value(), sink);
        } else if (event instanceof Access e) {
            sink.vaddr(e.vaddr());
            sink.accessKind(e.kind());
            sink.user(e.user());
        } else if (event instanceof SetStack e) {
            sink.vaddr(e.vaddr());
            sink.pages(e.pages());
        } else if (event instanceof Gap e) {
            sink.lostEvents(e.lostEvents());
        } else {
            throw new AssertionError(event.type());
        }
        // these few go through the interface
        sink.event(event.type(), event.cpu(), event.timestampNs());
    }

    private static void entry(long entryGpa, long value, Sink sink) {
        sink.entryGpa(entryGpa);
        sink.value(value);
    }

    /** alloc_pt's and release_pt's fields. */
    private static void tablePage(long pfn, int level, boolean pinned, Sink sink) {
        sink.pfn(pfn);
        sink.level(level);
        sink.pinned(pinned);
    }

    /** pin's and unpin's fields. */
    private static void pinning(long tableGpa, int level, Sink sink) {
        sink.tableGpa(tableGpa);
        sink.level(level);
    }
}
