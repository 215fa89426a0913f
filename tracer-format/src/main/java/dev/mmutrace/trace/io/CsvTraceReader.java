package dev.mmutrace.trace.io;

import static dev.mmutrace.trace.io.CsvLayout.COLUMNS;

import com.google.common.collect.AbstractIterator;
import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.AllocPt;
import dev.mmutrace.trace.EventType;
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
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.TraceInputException.Unit;
import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.Unpin;
import dev.mmutrace.trace.WriteCr3;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a CSV trace: the {@code #} header lines and the column row by hand (they are not CSV),
 * then one event per row through Commons CSV. Errors name the physical line of the file.
 */
final class CsvTraceReader extends AbstractIterator<TraceEvent> implements TraceReader {
    private static final Map<String, EventType> EVENTS = byWireName(EventType.values(), EventType::wireName);
    private static final Map<String, WriteCr3.Root> ROOTS = byWireName(WriteCr3.Root.values(),
            WriteCr3.Root::wireName);
    private static final Map<String, FlushTlb.Scope> SCOPES = byWireName(FlushTlb.Scope.values(),
            FlushTlb.Scope::wireName);
    private static final Map<String, LazyMmu.Phase> PHASES = byWireName(LazyMmu.Phase.values(),
            LazyMmu.Phase::wireName);
    private static final Map<String, Access.Kind> KINDS = byWireName(Access.Kind.values(), Access.Kind::wireName);

    private final BufferedReader in;
    private final String source;
    private final TraceHeader header;
    private final EventValidator validator;
    private final CSVParser parser;
    private final Iterator<CSVRecord> rows;
    /** The file line the parser's line 0 stands for: the column row. */
    private final long lineOffset;
    /** The row being decoded and its line, for the cell readers and their messages. */
    private CSVRecord row;
    private long line;

    CsvTraceReader(BufferedReader in, String source) {
        this.in = in;
        this.source = source;
        CsvHeaderLines headerLines = CsvHeaderLines.reading(source);
        long lineNo = 0;
        String text;
        try {
            text = in.readLine();
            if (text != null && text.startsWith("\uFEFF")) {
                text = text.substring(1); // the byte-order mark some spreadsheets write first
            }
            while (text != null && text.startsWith("#")) {
                headerLines.add(text, ++lineNo);
                text = in.readLine();
            }
        } catch (EOFException e) {
            throw gzipEndsEarly(lineNo + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        lineNo++;
        if (text == null) {
            throw TraceInputException.atLine(source, lineNo, TraceInputException.NO_FIELD,
                    "the file ends before the column row '" + CsvLayout.HEADER_ROW + "'");
        }
        checkColumnRow(text, lineNo);
        this.header = headerLines.header(lineNo);
        this.validator = new EventValidator(header);
        this.lineOffset = lineNo;
        try {
            this.parser = new CSVParser(in, CsvLayout.FORMAT, 0, 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.rows = parser.iterator();
    }

    /** A gzipped CSV that stops before the gzip end marker: what followed is lost. */
    private TraceInputException gzipEndsEarly(long line) {
        return TraceInputException.atLine(source, line, TraceInputException.NO_FIELD,
                "truncated: the gzip data ends early");
    }

    private void checkColumnRow(String text, long lineNo) {
        if (text.equals(CsvLayout.HEADER_ROW)) {
            return;
        }
        String[] got = text.split(",", -1);
        for (int i = 0; i < COLUMNS.length; i++) {
            if (i >= got.length || !got[i].equals(COLUMNS[i])) {
                throw TraceInputException.atLine(source, lineNo, COLUMNS[i], "expected column '" + COLUMNS[i]
                        + "' here in the column row, got '" + (i < got.length ? got[i] : "") + "'");
            }
        }
        throw TraceInputException.atLine(source, lineNo, TraceInputException.NO_FIELD,
                "expected " + COLUMNS.length + " columns in the column row, got " + got.length);
    }

    @Override
    public TraceHeader header() {
        return header;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    protected TraceEvent computeNext() {
        while (true) {
            long before = lineOffset + parser.getCurrentLineNumber();
            CSVRecord next;
            try {
                if (!rows.hasNext()) {
                    return endOfData();
                }
                next = rows.next();
            } catch (UncheckedIOException e) {
                if (e.getCause() instanceof EOFException) {
                    throw gzipEndsEarly(before + 1);
                }
                if (!(e.getCause() instanceof CSVException)) {
                    throw e; // the file could not be read: not a problem of its content
                }
                // Commons CSV's own message carries its line count; ours names the file's line
                throw TraceInputException.atLine(source, before + 1, TraceInputException.NO_FIELD,
                        "malformed CSV (" + e.getCause().getMessage() + ")");
            }
            if (next.size() == 1 && next.get(0).isEmpty()) {
                continue; // a blank line holds no event
            }
            return decode(next, before + 1);
        }
    }

    @Override
    public void close() {
        try {
            parser.close();
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TraceEvent decode(CSVRecord r, long at) {
        this.row = r;
        this.line = at;
        if (r.size() != COLUMNS.length) {
            throw TraceInputException.atLine(source, line, TraceInputException.NO_FIELD,
                    "expected " + COLUMNS.length + " columns, got " + r.size());
        }
        String name = r.get(CsvLayout.EVENT);
        EventType type = EVENTS.get(name);
        if (type == null) {
            throw TraceInputException.atLine(source, line, "event", name.isEmpty() ? "missing"
                    : "unknown event '" + name + "'");
        }
        for (int c = 0; c < COLUMNS.length; c++) {
            if (!CsvLayout.uses(type, c) && !r.get(c).isEmpty()) {
                throw TraceInputException.atLine(source, line, COLUMNS[c],
                        name + " has no " + COLUMNS[c] + " (leave the cell blank)");
            }
        }
        TraceEvent event;
        try {
            event = build(type, name);
        } catch (IllegalArgumentException refusal) {
            throw EventValidator.rejection(refusal, source, Unit.LINE, line);
        }
        validator.check(event, source, Unit.LINE, line);
        return event;
    }

    private TraceEvent build(EventType type, String name) {
        int cpu = int32(CsvLayout.CPU, name);
        long ts = isBlank(CsvLayout.TIMESTAMP) ? TraceEvent.NO_TIMESTAMP : decimal(CsvLayout.TIMESTAMP, name);
        switch (type) {
            case SET_PTE:
                return new SetPte(cpu, ts, hex(CsvLayout.ENTRY_GPA, name), hex(CsvLayout.VALUE, name));
            case SET_PTE_AT:
                return new SetPteAt(cpu, ts, hex(CsvLayout.MM, name), hex(CsvLayout.VADDR, name),
                        hex(CsvLayout.ENTRY_GPA, name), hex(CsvLayout.VALUE, name));
            case PTEP_MODIFY_PROT:
                return new PtepModifyProt(cpu, ts, hex(CsvLayout.MM, name), hex(CsvLayout.VADDR, name),
                        hex(CsvLayout.ENTRY_GPA, name), hex(CsvLayout.VALUE, name));
            case SET_PMD:
                return new SetPmd(cpu, ts, hex(CsvLayout.ENTRY_GPA, name), hex(CsvLayout.VALUE, name));
            case SET_PUD:
                return new SetPud(cpu, ts, hex(CsvLayout.ENTRY_GPA, name), hex(CsvLayout.VALUE, name));
            case SET_PGD:
                return new SetPgd(cpu, ts, hex(CsvLayout.ENTRY_GPA, name), hex(CsvLayout.VALUE, name),
                        optionalHex(CsvLayout.USER_ENTRY_GPA));
            case WRITE_CR3:
                return new WriteCr3(cpu, ts, hex(CsvLayout.PGD, name), named(CsvLayout.ROOT, ROOTS, name));
            case PAGE_FAULT:
                return new PageFault(cpu, ts, hex(CsvLayout.VADDR, name), errorCode(name), hex(CsvLayout.IP, name));
            case PIN:
                return new Pin(cpu, ts, hex(CsvLayout.TABLE_GPA, name), int32(CsvLayout.LEVEL, name));
            case UNPIN:
                return new Unpin(cpu, ts, hex(CsvLayout.TABLE_GPA, name), int32(CsvLayout.LEVEL, name));
            case ALLOC_PT:
                return new AllocPt(cpu, ts, hex(CsvLayout.PFN, name), int32(CsvLayout.LEVEL, name),
                        bool(CsvLayout.PINNED, name));
            case RELEASE_PT:
                return new ReleasePt(cpu, ts, hex(CsvLayout.PFN, name), int32(CsvLayout.LEVEL, name),
                        bool(CsvLayout.PINNED, name));
            case FLUSH_TLB:
                return flush(cpu, ts, name);
            case LAZY_MMU:
                return new LazyMmu(cpu, ts, named(CsvLayout.PHASE, PHASES, name));
            case SET_STACK:
                return new SetStack(cpu, ts, hex(CsvLayout.VADDR, name), int32(CsvLayout.PAGES, name));
            case ACCESS:
                return new Access(cpu, ts, hex(CsvLayout.VADDR, name), named(CsvLayout.KIND, KINDS, name),
                        bool(CsvLayout.USER, name));
            default:
                throw new AssertionError(type);
        }
    }

    /** A multi flush always spells out its target set and count; the other scopes leave them blank. */
    private FlushTlb flush(int cpu, long ts, String name) {
        FlushTlb.Scope scope = named(CsvLayout.SCOPE, SCOPES, name);
        long cpus = 0;
        int cpuCount = 0;
        if (scope == FlushTlb.Scope.MULTI) {
            cpus = hex(CsvLayout.CPUS, "a multi flush");
            cpuCount = int32(CsvLayout.CPU_COUNT, "a multi flush");
        } else {
            notForScope(CsvLayout.CPUS, scope);
            notForScope(CsvLayout.CPU_COUNT, scope);
        }
        if (scope == FlushTlb.Scope.ONE && isBlank(CsvLayout.VADDR)) {
            throw missing(CsvLayout.VADDR, "a flush of one page");
        }
        return new FlushTlb(cpu, ts, scope, optionalHex(CsvLayout.VADDR), optionalHex(CsvLayout.VADDR_END), cpus,
                cpuCount, optionalHex(CsvLayout.MM));
    }

    private void notForScope(int column, FlushTlb.Scope scope) {
        if (!isBlank(column)) {
            throw TraceInputException.atLine(source, line, COLUMNS[column], "only a multi flush has "
                    + COLUMNS[column] + ", this is " + scope.wireName() + " (leave the cell blank)");
        }
    }

    private boolean isBlank(int column) {
        return row.get(column).isEmpty();
    }

    private String cell(int column, String needer) {
        String s = row.get(column);
        if (s.isEmpty()) {
            throw missing(column, needer);
        }
        return s;
    }

    private TraceInputException missing(int column, String needer) {
        return TraceInputException.atLine(source, line, COLUMNS[column], "missing (" + needer + " needs it)");
    }

    private long hex(int column, String needer) {
        return CsvCells.parseHex(cell(column, needer), source, line, COLUMNS[column]);
    }

    private long optionalHex(int column) {
        return isBlank(column) ? TraceEvent.NO_ADDRESS
                : CsvCells.parseHex(row.get(column), source, line, COLUMNS[column]);
    }

    private long decimal(int column, String needer) {
        return CsvCells.parseDecimal(cell(column, needer), source, line, COLUMNS[column]);
    }

    private int int32(int column, String needer) {
        long v = decimal(column, needer);
        if (v > Integer.MAX_VALUE) {
            throw TraceInputException.atLine(source, line, COLUMNS[column], "bad number '" + row.get(column)
                    + "' (too large)");
        }
        return (int) v;
    }

    /** The #PF error code is a bit set, so hex like the SDM writes it; 16 bits. */
    private int errorCode(String needer) {
        long v = hex(CsvLayout.ERROR_CODE, needer);
        if (v > 0xffff) {
            throw TraceInputException.atLine(source, line, "error_code",
                    "error_code must be 0..0xffff, got " + CsvCells.hex(v));
        }
        return (int) v;
    }

    private boolean bool(int column, String needer) {
        String s = cell(column, needer);
        if (s.equals("true")) {
            return true;
        }
        if (s.equals("false")) {
            return false;
        }
        throw TraceInputException.atLine(source, line, COLUMNS[column], "bad boolean '" + s + "' (true or false)");
    }

    private <E extends Enum<E>> E named(int column, Map<String, E> names, String needer) {
        String s = cell(column, needer);
        E value = names.get(s);
        if (value == null) {
            throw TraceInputException.atLine(source, line, COLUMNS[column], "unknown " + COLUMNS[column] + " '" + s
                    + "' (" + String.join(", ", names.keySet()) + ")");
        }
        return value;
    }

    private static <E extends Enum<E>> Map<String, E> byWireName(E[] values, Function<E, String> wireName) {
        Map<String, E> m = new LinkedHashMap<>();
        for (E v : values) {
            m.put(wireName.apply(v), v);
        }
        return m;
    }
}
