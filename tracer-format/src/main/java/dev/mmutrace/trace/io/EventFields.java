package dev.mmutrace.trace.io;

import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.AllocPt;
import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.Gap;
import dev.mmutrace.trace.LazyMmu;
import dev.mmutrace.trace.PageFault;
import dev.mmutrace.trace.Pin;
import dev.mmutrace.trace.ReleasePt;
import dev.mmutrace.trace.SetStack;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.EntryUpdate;
import dev.mmutrace.trace.SetPteAt;
import dev.mmutrace.trace.PtepModifyProt;
import dev.mmutrace.trace.SetPgd;
import dev.mmutrace.trace.Unpin;
import dev.mmutrace.trace.WriteCr3;
import java.util.OptionalLong;

/**
 * Which fields each kind of event has, beyond cpu and timestamp: the one list both writers work
 * from. {@link #visit} hands an event's fields, one call per field, to a {@link Sink}; the CSV
 * writer turns the calls into cells, the batch encoder into column values. A new event kind is
 * one more case here (and its record); the writers need no change unless it brings a new field.
 */
final class EventFields {
    private EventFields() {
    }

    /** Takes an event's fields one at a time. Optional addresses arrive as {@link TraceEvent#NO_ADDRESS} when absent. */
    interface Sink {
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

    /** Hands {@code event}'s fields to {@code sink}, in the order its record declares them. */
    static void visit(TraceEvent event, Sink sink) {
        switch (event.type()) {
            case SET_PTE_AT: {
                SetPteAt e = (SetPteAt) event;
                sink.mm(e.mm());
                sink.vaddr(e.vaddr());
                entry(e, sink);
                break;
            }
            case PTEP_MODIFY_PROT: {
                PtepModifyProt e = (PtepModifyProt) event;
                sink.mm(e.mm());
                sink.vaddr(e.vaddr());
                entry(e, sink);
                break;
            }
            case SET_PTE:
            case SET_PMD:
            case SET_PUD:
                entry((EntryUpdate) event, sink);
                break;
            case SET_PGD: {
                SetPgd e = (SetPgd) event;
                entry(e, sink);
                sink.userEntryGpa(e.userEntryGpa());
                break;
            }
            case WRITE_CR3: {
                WriteCr3 e = (WriteCr3) event;
                sink.pgd(e.pgd());
                sink.root(e.root());
                break;
            }
            case PAGE_FAULT: {
                PageFault e = (PageFault) event;
                sink.vaddr(e.vaddr());
                sink.errorCode(e.errorCode());
                sink.ip(e.ip());
                break;
            }
            case PIN:
                sink.tableGpa(((Pin) event).tableGpa());
                sink.level(((Pin) event).level());
                break;
            case UNPIN:
                sink.tableGpa(((Unpin) event).tableGpa());
                sink.level(((Unpin) event).level());
                break;
            case ALLOC_PT: {
                AllocPt e = (AllocPt) event;
                sink.pfn(e.pfn());
                sink.level(e.level());
                sink.pinned(e.pinned());
                break;
            }
            case RELEASE_PT: {
                ReleasePt e = (ReleasePt) event;
                sink.pfn(e.pfn());
                sink.level(e.level());
                sink.pinned(e.pinned());
                break;
            }
            case FLUSH_TLB: {
                FlushTlb e = (FlushTlb) event;
                sink.scope(e.scope());
                sink.flushVaddr(e.vaddr());
                sink.vaddrEnd(e.vaddrEnd());
                sink.targets(e.cpus(), e.cpuCount());
                sink.flushMm(e.mm());
                break;
            }
            case LAZY_MMU:
                sink.phase(((LazyMmu) event).phase());
                break;
            case SET_STACK: {
                SetStack e = (SetStack) event;
                sink.vaddr(e.vaddr());
                sink.pages(e.pages());
                break;
            }
            case ACCESS: {
                Access e = (Access) event;
                sink.vaddr(e.vaddr());
                sink.accessKind(e.kind());
                sink.user(e.user());
                break;
            }
            case GAP:
                sink.lostEvents(((Gap) event).lostEvents());
                break;
            default:
                throw new AssertionError(event.type());
        }
    }

    private static void entry(EntryUpdate e, Sink sink) {
        sink.entryGpa(e.entryGpa());
        sink.value(e.value());
    }
}
