package dev.mmutrace.trace.io;

import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.AllocPt;
import dev.mmutrace.trace.EventValidator;
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
import dev.mmutrace.trace.TraceInputException.Unit;
import dev.mmutrace.trace.TraceWriter;
import dev.mmutrace.trace.Unpin;
import dev.mmutrace.trace.WriteCr3;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Arrays;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes a CSV trace: header comment lines, the column row, then one row per event through
 * Commons CSV. Every cell is canonical (lowercase hex without leading zeros, plain decimal), so
 * CSV that this writer produced comes back byte for byte through the binary format.
 */
final class CsvTraceWriter implements TraceWriter {
    private final Writer out;
    private final CSVPrinter printer;
    private final String target;
    private final EventValidator validator;
    /** One row's cells, reused: blank unless the event sets them. */
    private final String[] cells = new String[CsvLayout.COLUMNS.length];
    private long line;

    CsvTraceWriter(Writer out, String target, TraceHeader header) {
        this.out = out;
        this.target = target;
        this.validator = new EventValidator(header);
        try {
            String comments = CsvHeaderLines.format(header);
            out.write(comments);
            out.write(CsvLayout.HEADER_ROW);
            out.write('\n');
            line = comments.chars().filter(c -> c == '\n').count() + 1;
            this.printer = new CSVPrinter(out, CsvLayout.FORMAT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void write(TraceEvent event) {
        validator.check(event, target, Unit.LINE, line + 1);
        Arrays.fill(cells, "");
        cells[CsvLayout.EVENT] = event.type().wireName();
        cells[CsvLayout.CPU] = Integer.toString(event.cpu());
        if (event.timestampNs() != TraceEvent.NO_TIMESTAMP) {
            cells[CsvLayout.TIMESTAMP] = Long.toString(event.timestampNs());
        }
        fill(event);
        try {
            printer.printRecord((Object[]) cells);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        line++;
    }

    private void fill(TraceEvent event) {
        switch (event.type()) {
            case SET_PTE: {
                SetPte e = (SetPte) event;
                entry(e.entryGpa(), e.value());
                break;
            }
            case SET_PTE_AT: {
                SetPteAt e = (SetPteAt) event;
                hex(CsvLayout.MM, e.mm());
                hex(CsvLayout.VADDR, e.vaddr());
                entry(e.entryGpa(), e.value());
                break;
            }
            case PTEP_MODIFY_PROT: {
                PtepModifyProt e = (PtepModifyProt) event;
                hex(CsvLayout.MM, e.mm());
                hex(CsvLayout.VADDR, e.vaddr());
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
                optionalHex(CsvLayout.USER_ENTRY_GPA, e.userEntryGpa());
                break;
            }
            case WRITE_CR3: {
                WriteCr3 e = (WriteCr3) event;
                hex(CsvLayout.PGD, e.pgd());
                cells[CsvLayout.ROOT] = e.root().wireName();
                break;
            }
            case PAGE_FAULT: {
                PageFault e = (PageFault) event;
                hex(CsvLayout.VADDR, e.vaddr());
                hex(CsvLayout.ERROR_CODE, e.errorCode());
                hex(CsvLayout.IP, e.ip());
                break;
            }
            case PIN: {
                Pin e = (Pin) event;
                hex(CsvLayout.TABLE_GPA, e.tableGpa());
                cells[CsvLayout.LEVEL] = Integer.toString(e.level());
                break;
            }
            case UNPIN: {
                Unpin e = (Unpin) event;
                hex(CsvLayout.TABLE_GPA, e.tableGpa());
                cells[CsvLayout.LEVEL] = Integer.toString(e.level());
                break;
            }
            case ALLOC_PT: {
                AllocPt e = (AllocPt) event;
                frame(e.pfn(), e.level(), e.pinned());
                break;
            }
            case RELEASE_PT: {
                ReleasePt e = (ReleasePt) event;
                frame(e.pfn(), e.level(), e.pinned());
                break;
            }
            case FLUSH_TLB: {
                FlushTlb e = (FlushTlb) event;
                cells[CsvLayout.SCOPE] = e.scope().wireName();
                optionalHex(CsvLayout.VADDR, e.vaddr());
                optionalHex(CsvLayout.VADDR_END, e.vaddrEnd());
                optionalHex(CsvLayout.MM, e.mm());
                if (e.scope() == FlushTlb.Scope.MULTI) {
                    hex(CsvLayout.CPUS, e.cpus());
                    cells[CsvLayout.CPU_COUNT] = Integer.toString(e.cpuCount());
                }
                break;
            }
            case LAZY_MMU:
                cells[CsvLayout.PHASE] = ((LazyMmu) event).phase().wireName();
                break;
            case SET_STACK: {
                SetStack e = (SetStack) event;
                hex(CsvLayout.VADDR, e.vaddr());
                cells[CsvLayout.PAGES] = Integer.toString(e.pages());
                break;
            }
            case ACCESS: {
                Access e = (Access) event;
                hex(CsvLayout.VADDR, e.vaddr());
                cells[CsvLayout.KIND] = e.kind().wireName();
                cells[CsvLayout.USER] = Boolean.toString(e.user());
                break;
            }
            default:
                throw new AssertionError(event.type());
        }
    }

    private void entry(long entryGpa, long value) {
        hex(CsvLayout.ENTRY_GPA, entryGpa);
        hex(CsvLayout.VALUE, value);
    }

    private void frame(long pfn, int level, boolean pinned) {
        hex(CsvLayout.PFN, pfn);
        cells[CsvLayout.LEVEL] = Integer.toString(level);
        cells[CsvLayout.PINNED] = Boolean.toString(pinned);
    }

    private void hex(int column, long v) {
        cells[column] = CsvCells.hex(v);
    }

    private void optionalHex(int column, long v) {
        if (v != TraceEvent.NO_ADDRESS) {
            cells[column] = CsvCells.hex(v);
        }
    }

    @Override
    public void close() {
        try (Writer w = out) {
            printer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
