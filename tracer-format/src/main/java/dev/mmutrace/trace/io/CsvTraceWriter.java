package dev.mmutrace.trace.io;

import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.EventType;
import dev.mmutrace.trace.EventValidator;
import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.LazyMmu;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.TraceInputException.Unit;
import dev.mmutrace.trace.TraceWriter;
import dev.mmutrace.trace.WriteCr3;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.OptionalLong;
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
    private final Cells fields = new Cells();
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
        EventFields.visit(event, fields);
        try {
            printer.printRecord((Object[]) cells);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        line++;
    }

    /** The cells of one event's fields, as {@link EventFields} hands them over. */
    private final class Cells implements EventFields.Sink {
        /** The scope of the flush being written: only a multi flush fills its targets. */
        private FlushTlb.Scope scope;

        @Override
        public void event(EventType type, int cpu, long timestampNs) {
            cells[CsvLayout.EVENT] = type.wireName();
            cells[CsvLayout.CPU] = Integer.toString(cpu);
            if (timestampNs != TraceEvent.NO_TIMESTAMP) {
                cells[CsvLayout.TIMESTAMP] = Long.toString(timestampNs);
            }
        }

        @Override
        public void mm(long mm) {
            hex(CsvLayout.MM, mm);
        }

        @Override
        public void vaddr(long vaddr) {
            hex(CsvLayout.VADDR, vaddr);
        }

        @Override
        public void entryGpa(long entryGpa) {
            hex(CsvLayout.ENTRY_GPA, entryGpa);
        }

        @Override
        public void value(long value) {
            hex(CsvLayout.VALUE, value);
        }

        @Override
        public void userEntryGpa(long userEntryGpa) {
            optionalHex(CsvLayout.USER_ENTRY_GPA, userEntryGpa);
        }

        @Override
        public void pgd(long pgd) {
            hex(CsvLayout.PGD, pgd);
        }

        @Override
        public void root(WriteCr3.Root root) {
            cells[CsvLayout.ROOT] = root.wireName();
        }

        @Override
        public void errorCode(int errorCode) {
            hex(CsvLayout.ERROR_CODE, errorCode);
        }

        @Override
        public void ip(long ip) {
            hex(CsvLayout.IP, ip);
        }

        @Override
        public void tableGpa(long tableGpa) {
            hex(CsvLayout.TABLE_GPA, tableGpa);
        }

        @Override
        public void level(int level) {
            cells[CsvLayout.LEVEL] = Integer.toString(level);
        }

        @Override
        public void pfn(long pfn) {
            hex(CsvLayout.PFN, pfn);
        }

        @Override
        public void pinned(boolean pinned) {
            cells[CsvLayout.PINNED] = Boolean.toString(pinned);
        }

        @Override
        public void scope(FlushTlb.Scope scope) {
            this.scope = scope;
            cells[CsvLayout.SCOPE] = scope.wireName();
        }

        @Override
        public void flushVaddr(long vaddr) {
            optionalHex(CsvLayout.VADDR, vaddr);
        }

        @Override
        public void vaddrEnd(long vaddrEnd) {
            optionalHex(CsvLayout.VADDR_END, vaddrEnd);
        }

        @Override
        public void targets(long cpus, int cpuCount) {
            if (scope == FlushTlb.Scope.MULTI) {
                hex(CsvLayout.CPUS, cpus);
                cells[CsvLayout.CPU_COUNT] = Integer.toString(cpuCount);
            }
        }

        @Override
        public void flushMm(long mm) {
            optionalHex(CsvLayout.MM, mm);
        }

        @Override
        public void phase(LazyMmu.Phase phase) {
            cells[CsvLayout.PHASE] = phase.wireName();
        }

        @Override
        public void pages(int pages) {
            cells[CsvLayout.PAGES] = Integer.toString(pages);
        }

        @Override
        public void accessKind(Access.Kind kind) {
            cells[CsvLayout.KIND] = kind.wireName();
        }

        @Override
        public void user(boolean user) {
            cells[CsvLayout.USER] = Boolean.toString(user);
        }

        @Override
        public void lostEvents(OptionalLong lostEvents) {
            // blank: the tracer did not say how many
            lostEvents.ifPresent(n -> cells[CsvLayout.LOST_EVENTS] = Long.toString(n));
        }
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
