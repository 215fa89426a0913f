package dev.mmutrace.trace.io;

import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.AllocPt;
import dev.mmutrace.trace.EventValidator;
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
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.TraceInputException.Unit;
import dev.mmutrace.trace.Unpin;
import dev.mmutrace.trace.WriteCr3;
import dev.mmutrace.trace.proto.Event;
import java.util.OptionalLong;

/**
 * Event records from the {@code mmutrace.v1.Event} messages of version 1 files (one event per
 * record); nothing writes them any more, version 2 holds events in batches.
 *
 * <p>Every enum of the schema numbers its values as the Java enum's order plus one, 0 being
 * "unspecified", so enums cross by number (a test pins the correspondence name by name).
 * Optional fields travel as proto3 {@code optional}: absent on the wire is
 * {@link TraceEvent#NO_TIMESTAMP} / {@link TraceEvent#NO_ADDRESS} in the record.
 */
final class EventMessages {
    private EventMessages() {
    }

    /**
     * The record {@code m} stands for; a {@link TraceInputException} at {@code record} when no
     * record can stand for it (no kind, unknown kind or enum value, a value the record refuses).
     */
    static TraceEvent toEvent(Event m, String source, long record) {
        try {
            return decode(m, source, record);
        } catch (IllegalArgumentException refusal) {
            throw EventValidator.rejection(refusal, source, Unit.RECORD, record);
        }
    }

    private static TraceEvent decode(Event m, String source, long record) {
        int cpu = m.getCpu();
        long ts = m.hasTimestampNs() ? m.getTimestampNs() : TraceEvent.NO_TIMESTAMP;
        switch (m.getKindCase()) {
            case SET_PTE:
                return new SetPte(cpu, ts, m.getSetPte().getEntryGpa(), m.getSetPte().getValue());
            case SET_PTE_AT: {
                var e = m.getSetPteAt();
                return new SetPteAt(cpu, ts, e.getMm(), e.getVaddr(), e.getEntryGpa(), e.getValue());
            }
            case PTEP_MODIFY_PROT: {
                var e = m.getPtepModifyProt();
                return new PtepModifyProt(cpu, ts, e.getMm(), e.getVaddr(), e.getEntryGpa(), e.getValue());
            }
            case SET_PMD:
                return new SetPmd(cpu, ts, m.getSetPmd().getEntryGpa(), m.getSetPmd().getValue());
            case SET_PUD:
                return new SetPud(cpu, ts, m.getSetPud().getEntryGpa(), m.getSetPud().getValue());
            case SET_PGD: {
                var e = m.getSetPgd();
                return new SetPgd(cpu, ts, e.getEntryGpa(), e.getValue(),
                        e.hasUserEntryGpa() ? e.getUserEntryGpa() : TraceEvent.NO_ADDRESS);
            }
            case WRITE_CR3: {
                var e = m.getWriteCr3();
                return new WriteCr3(cpu, ts, e.getPgd(),
                        WriteCr3.Root.values()[wireEnum(e.getRootValue(), 2, "root", source, record)]);
            }
            case PAGE_FAULT: {
                var e = m.getPageFault();
                return new PageFault(cpu, ts, e.getVaddr(), e.getErrorCode(), e.getIp());
            }
            case PIN:
                return new Pin(cpu, ts, m.getPin().getTableGpa(), m.getPin().getLevel());
            case UNPIN:
                return new Unpin(cpu, ts, m.getUnpin().getTableGpa(), m.getUnpin().getLevel());
            case ALLOC_PT: {
                var e = m.getAllocPt();
                return new AllocPt(cpu, ts, e.getPfn(), e.getLevel(), e.getPinned());
            }
            case RELEASE_PT: {
                var e = m.getReleasePt();
                return new ReleasePt(cpu, ts, e.getPfn(), e.getLevel(), e.getPinned());
            }
            case FLUSH_TLB: {
                var e = m.getFlushTlb();
                return new FlushTlb(cpu, ts,
                        FlushTlb.Scope.values()[wireEnum(e.getScopeValue(), 4, "scope", source, record)],
                        e.hasVaddr() ? e.getVaddr() : TraceEvent.NO_ADDRESS,
                        e.hasVaddrEnd() ? e.getVaddrEnd() : TraceEvent.NO_ADDRESS,
                        e.getCpus(), e.getCpuCount(),
                        e.hasMm() ? e.getMm() : TraceEvent.NO_ADDRESS);
            }
            case LAZY_MMU:
                return new LazyMmu(cpu, ts,
                        LazyMmu.Phase.values()[wireEnum(m.getLazyMmu().getPhaseValue(), 2, "phase", source, record)]);
            case SET_STACK:
                return new SetStack(cpu, ts, m.getSetStack().getVaddr(), m.getSetStack().getPages());
            case ACCESS: {
                var e = m.getAccess();
                return new Access(cpu, ts, e.getVaddr(),
                        Access.Kind.values()[wireEnum(e.getKindValue(), 3, "kind", source, record)], e.getUser());
            }
            case GAP: {
                var e = m.getGap();
                return new Gap(cpu, ts, e.hasLostEvents() ? OptionalLong.of(e.getLostEvents()) : OptionalLong.empty());
            }
            case KIND_NOT_SET:
            default:
                throw noKind(m, source, record);
        }
    }

    /** A kind this build does not know shows as an unknown field of the Event message. */
    private static TraceInputException noKind(Event m, String source, long record) {
        var unknown = m.getUnknownFields().asMap().keySet();
        String problem = unknown.isEmpty() ? "no event kind set"
                : "unknown event kind (field number " + unknown.iterator().next()
                        + "; this build reads format versions 1 and 2)";
        return TraceInputException.atRecord(source, record, "event", problem);
    }

    /**
     * The Java ordinal of a schema enum value 1..{@code count}; 0 (unspecified) and numbers from
     * a newer schema are bad input.
     */
    static int wireEnum(int number, int count, String field, String source, long record) {
        if (number == 0) {
            throw unspecified(field, source, record);
        }
        if (number < 1 || number > count) {
            throw TraceInputException.atRecord(source, record, field, "unknown value " + number);
        }
        return number - 1;
    }

    /** A wire enum field left at 0, its "unspecified" value. */
    static TraceInputException unspecified(String field, String source, long record) {
        return TraceInputException.atRecord(source, record, field, "missing (unspecified)");
    }
}
