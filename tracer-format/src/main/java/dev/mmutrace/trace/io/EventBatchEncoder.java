package dev.mmutrace.trace.io;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.mmutrace.trace.Access;
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
import dev.mmutrace.trace.Unpin;
import dev.mmutrace.trace.WriteCr3;
import java.io.IOException;

/**
 * Gathers events into the columns of one {@code EventBatch} and writes it as a record. The
 * message is written straight from the columns with protobuf's own wire writer (no builder, no
 * boxed lists): every column is a packed field, coded as {@link BatchColumn.Coding} says, and the
 * entry values take whichever of their two spellings is smaller for the batch.
 */
final class EventBatchEncoder {
    private final ColumnValues[] columns = new ColumnValues[BatchColumn.values().length];
    /** Each column's values as the wire holds them, worked out when the batch is written. */
    private final ColumnValues[] wire = new ColumnValues[BatchColumn.values().length];
    private int timed;

    EventBatchEncoder() {
        for (int i = 0; i < columns.length; i++) {
            columns[i] = new ColumnValues();
            wire[i] = new ColumnValues();
        }
    }

    /** Events gathered since the last write. */
    int size() {
        return column(BatchColumn.KIND).size();
    }

    void add(TraceEvent event) {
        column(BatchColumn.KIND).add(BatchColumn.kindNumber(event.type()));
        column(BatchColumn.CPU).add(event.cpu());
        column(BatchColumn.TIMESTAMP).add(event.timestampNs());
        if (event.timestampNs() != TraceEvent.NO_TIMESTAMP) {
            timed++;
        }
        switch (event.type()) {
            case SET_PTE: {
                SetPte e = (SetPte) event;
                entry(e.entryGpa(), e.value());
                break;
            }
            case SET_PTE_AT: {
                SetPteAt e = (SetPteAt) event;
                add(BatchColumn.MM, e.mm());
                add(BatchColumn.VADDR, e.vaddr());
                entry(e.entryGpa(), e.value());
                break;
            }
            case PTEP_MODIFY_PROT: {
                PtepModifyProt e = (PtepModifyProt) event;
                add(BatchColumn.MM, e.mm());
                add(BatchColumn.VADDR, e.vaddr());
                entry(e.entryGpa(), e.value());
                break;
            }
            case SET_PMD: {
                SetPmd e = (SetPmd) event;
                entry(e.entryGpa(), e.value());
                break;
            }
            case SET_PUD: {
                SetPud e = (SetPud) event;
                entry(e.entryGpa(), e.value());
                break;
            }
            case SET_PGD: {
                SetPgd e = (SetPgd) event;
                entry(e.entryGpa(), e.value());
                add(BatchColumn.USER_ENTRY_GPA, e.userEntryGpa());
                break;
            }
            case WRITE_CR3: {
                WriteCr3 e = (WriteCr3) event;
                add(BatchColumn.PGD, e.pgd());
                add(BatchColumn.ROOT, e.root().ordinal() + 1);
                break;
            }
            case PAGE_FAULT: {
                PageFault e = (PageFault) event;
                add(BatchColumn.VADDR, e.vaddr());
                add(BatchColumn.ERROR_CODE, e.errorCode());
                add(BatchColumn.IP, e.ip());
                break;
            }
            case PIN: {
                Pin e = (Pin) event;
                add(BatchColumn.TABLE_GPA, e.tableGpa());
                add(BatchColumn.LEVEL, e.level());
                break;
            }
            case UNPIN: {
                Unpin e = (Unpin) event;
                add(BatchColumn.TABLE_GPA, e.tableGpa());
                add(BatchColumn.LEVEL, e.level());
                break;
            }
            case ALLOC_PT: {
                AllocPt e = (AllocPt) event;
                add(BatchColumn.PFN, e.pfn());
                add(BatchColumn.LEVEL, e.level());
                add(BatchColumn.PINNED, e.pinned() ? 1 : 0);
                break;
            }
            case RELEASE_PT: {
                ReleasePt e = (ReleasePt) event;
                add(BatchColumn.PFN, e.pfn());
                add(BatchColumn.LEVEL, e.level());
                add(BatchColumn.PINNED, e.pinned() ? 1 : 0);
                break;
            }
            case FLUSH_TLB: {
                FlushTlb e = (FlushTlb) event;
                add(BatchColumn.SCOPE, e.scope().ordinal() + 1);
                add(BatchColumn.FLUSH_VADDR, e.vaddr());
                add(BatchColumn.VADDR_END, e.vaddrEnd());
                add(BatchColumn.CPUS, e.cpus());
                add(BatchColumn.CPU_COUNT, e.cpuCount());
                add(BatchColumn.FLUSH_MM, e.mm());
                break;
            }
            case LAZY_MMU:
                add(BatchColumn.PHASE, ((LazyMmu) event).phase().ordinal() + 1);
                break;
            case SET_STACK: {
                SetStack e = (SetStack) event;
                add(BatchColumn.VADDR, e.vaddr());
                add(BatchColumn.PAGES, e.pages());
                break;
            }
            case ACCESS: {
                Access e = (Access) event;
                add(BatchColumn.VADDR, e.vaddr());
                add(BatchColumn.ACCESS_KIND, e.kind().ordinal() + 1);
                add(BatchColumn.USER, e.user() ? 1 : 0);
                break;
            }
            default:
                throw new AssertionError(event.type());
        }
    }

    /** Writes the gathered events as one delimited {@code EventBatch} record and starts a new batch. */
    void writeTo(CodedOutputStream out) throws IOException {
        int length = 0;
        for (BatchColumn c : BatchColumn.values()) {
            int payload = toWire(c);
            if (payload > 0) {
                length += CodedOutputStream.computeTagSize(wireField(c))
                        + CodedOutputStream.computeUInt32SizeNoTag(payload) + payload;
            }
        }
        out.writeUInt32NoTag(length);
        for (BatchColumn c : BatchColumn.values()) {
            ColumnValues w = wire[c.ordinal()];
            if (w.size() == 0) {
                continue;
            }
            boolean fixed = wireField(c) == BatchColumn.VALUE_FIXED_FIELD;
            out.writeTag(wireField(c), WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(fixed ? 8 * w.size() : varintBytes(w));
            for (int i = 0; i < w.size(); i++) {
                if (fixed) {
                    out.writeFixed64NoTag(w.get(i));
                } else {
                    out.writeUInt64NoTag(w.get(i));
                }
            }
        }
        for (int i = 0; i < columns.length; i++) {
            columns[i].clear();
            wire[i].clear();
        }
        timed = 0;
    }

    /** Works out column {@code c}'s wire values; returns their packed size in bytes (0: the column is left out). */
    private int toWire(BatchColumn c) {
        ColumnValues values = columns[c.ordinal()];
        ColumnValues w = wire[c.ordinal()];
        if (c == BatchColumn.TIMESTAMP && timed == 0) {
            return 0; // no event of the batch has a timestamp: the column is left empty
        }
        long previous = 0;
        for (int i = 0; i < values.size(); i++) {
            long v = values.get(i);
            switch (c.coding()) {
                case PLAIN:
                    w.add(v);
                    break;
                case DELTA:
                    w.add(CodedOutputStream.encodeZigZag64(v - previous));
                    previous = v;
                    break;
                case PLUS_ONE:
                    w.add(v + 1);
                    break;
                case TIMESTAMP:
                    if (v == TraceEvent.NO_TIMESTAMP) {
                        w.add(0);
                    } else {
                        w.add(CodedOutputStream.encodeZigZag64(v - previous) + 1);
                        previous = v;
                    }
                    break;
                default:
                    throw new AssertionError(c.coding());
            }
        }
        int varints = varintBytes(w);
        return c == BatchColumn.VALUE ? Math.min(varints, 8 * w.size()) : varints;
    }

    /** The field a column is written as: the entry values' smaller spelling, any other column's own. */
    private int wireField(BatchColumn c) {
        if (c == BatchColumn.VALUE) {
            ColumnValues w = wire[c.ordinal()];
            return 8 * w.size() < varintBytes(w) ? BatchColumn.VALUE_FIXED_FIELD : c.fieldNumber();
        }
        return c.fieldNumber();
    }

    private static int varintBytes(ColumnValues w) {
        int bytes = 0;
        for (int i = 0; i < w.size(); i++) {
            bytes += CodedOutputStream.computeUInt64SizeNoTag(w.get(i));
        }
        return bytes;
    }

    private void entry(long entryGpa, long value) {
        add(BatchColumn.ENTRY_GPA, entryGpa);
        add(BatchColumn.VALUE, value);
    }

    private void add(BatchColumn c, long value) {
        columns[c.ordinal()].add(value);
    }

    private ColumnValues column(BatchColumn c) {
        return columns[c.ordinal()];
    }
}
