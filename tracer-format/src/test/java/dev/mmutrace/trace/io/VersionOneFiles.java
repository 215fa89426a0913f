package dev.mmutrace.trace.io;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.Gap;
import dev.mmutrace.trace.AllocPt;
import dev.mmutrace.trace.FlushTlb;
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
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.Unpin;
import dev.mmutrace.trace.WriteCr3;
import dev.mmutrace.trace.proto.Event;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes version 1 binary files (one Event message per record), as the writer did before the
 * batches of version 2: the inputs that show the reader still reads them.
 */
final class VersionOneFiles {
    private VersionOneFiles() {
    }

    static void write(Path path, TraceHeader header, List<TraceEvent> events) {
        try (OutputStream out = Files.newOutputStream(path)) {
            CodedOutputStream coded = CodedOutputStream.newInstance(out);
            coded.writeRawBytes(BinaryLayout.preamble(BinaryLayout.VERSION_EVENTS));
            delimited(coded, HeaderMessages.toMessage(header, BinaryLayout.VERSION_EVENTS));
            for (TraceEvent e : events) {
                delimited(coded, toMessage(e));
            }
            coded.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delimited(CodedOutputStream coded, MessageLite message) throws IOException {
        coded.writeUInt32NoTag(message.getSerializedSize());
        message.writeTo(coded);
    }

    static Event toMessage(TraceEvent event) {
        Event.Builder b = Event.newBuilder().setCpu(event.cpu());
        if (event.timestampNs() != TraceEvent.NO_TIMESTAMP) {
            b.setTimestampNs(event.timestampNs());
        }
        switch (event.type()) {
            case SET_PTE: {
                SetPte e = (SetPte) event;
                b.getSetPteBuilder().setEntryGpa(e.entryGpa()).setValue(e.value());
                break;
            }
            case SET_PTE_AT: {
                SetPteAt e = (SetPteAt) event;
                b.getSetPteAtBuilder().setMm(e.mm()).setVaddr(e.vaddr()).setEntryGpa(e.entryGpa())
                        .setValue(e.value());
                break;
            }
            case PTEP_MODIFY_PROT: {
                PtepModifyProt e = (PtepModifyProt) event;
                b.getPtepModifyProtBuilder().setMm(e.mm()).setVaddr(e.vaddr()).setEntryGpa(e.entryGpa())
                        .setValue(e.value());
                break;
            }
            case SET_PMD: {
                SetPmd e = (SetPmd) event;
                b.getSetPmdBuilder().setEntryGpa(e.entryGpa()).setValue(e.value());
                break;
            }
            case SET_PUD: {
                SetPud e = (SetPud) event;
                b.getSetPudBuilder().setEntryGpa(e.entryGpa()).setValue(e.value());
                break;
            }
            case SET_PGD: {
                SetPgd e = (SetPgd) event;
                var m = b.getSetPgdBuilder().setEntryGpa(e.entryGpa()).setValue(e.value());
                if (e.hasUserEntry()) {
                    m.setUserEntryGpa(e.userEntryGpa());
                }
                break;
            }
            case WRITE_CR3: {
                WriteCr3 e = (WriteCr3) event;
                b.getWriteCr3Builder().setPgd(e.pgd()).setRootValue(e.root().ordinal() + 1);
                break;
            }
            case PAGE_FAULT: {
                PageFault e = (PageFault) event;
                b.getPageFaultBuilder().setVaddr(e.vaddr()).setErrorCode(e.errorCode()).setIp(e.ip());
                break;
            }
            case PIN: {
                Pin e = (Pin) event;
                b.getPinBuilder().setTableGpa(e.tableGpa()).setLevel(e.level());
                break;
            }
            case UNPIN: {
                Unpin e = (Unpin) event;
                b.getUnpinBuilder().setTableGpa(e.tableGpa()).setLevel(e.level());
                break;
            }
            case ALLOC_PT: {
                AllocPt e = (AllocPt) event;
                b.getAllocPtBuilder().setPfn(e.pfn()).setLevel(e.level()).setPinned(e.pinned());
                break;
            }
            case RELEASE_PT: {
                ReleasePt e = (ReleasePt) event;
                b.getReleasePtBuilder().setPfn(e.pfn()).setLevel(e.level()).setPinned(e.pinned());
                break;
            }
            case FLUSH_TLB: {
                FlushTlb e = (FlushTlb) event;
                var m = b.getFlushTlbBuilder().setScopeValue(e.scope().ordinal() + 1).setCpus(e.cpus())
                        .setCpuCount(e.cpuCount());
                if (e.vaddr() != TraceEvent.NO_ADDRESS) {
                    m.setVaddr(e.vaddr());
                }
                if (e.vaddrEnd() != TraceEvent.NO_ADDRESS) {
                    m.setVaddrEnd(e.vaddrEnd());
                }
                if (e.mm() != TraceEvent.NO_ADDRESS) {
                    m.setMm(e.mm());
                }
                break;
            }
            case LAZY_MMU:
                b.getLazyMmuBuilder().setPhaseValue(((LazyMmu) event).phase().ordinal() + 1);
                break;
            case SET_STACK: {
                SetStack e = (SetStack) event;
                b.getSetStackBuilder().setVaddr(e.vaddr()).setPages(e.pages());
                break;
            }
            case ACCESS: {
                Access e = (Access) event;
                b.getAccessBuilder().setVaddr(e.vaddr()).setKindValue(e.kind().ordinal() + 1).setUser(e.user());
                break;
            }
            case GAP: {
                var gap = b.getGapBuilder();
                ((Gap) event).lostEvents().ifPresent(gap::setLostEvents);
                break;
            }
            default:
                throw new AssertionError(event.type());
        }
        return b.build();
    }

}
