package dev.mmutrace.trace.io;

import static dev.mmutrace.trace.TraceInputException.quote;
import static dev.mmutrace.trace.io.CsvLayout.COLUMNS;

import com.google.common.collect.AbstractIterator;
import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.AllocPt;
import dev.mmutrace.trace.EventType;
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
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.TraceInputException.Unit;
import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.Unpin;
import dev.mmutrace.trace.WriteCr3;
import dev.mmutrace.trace.text.AsciiNames;
import dev.mmutrace.trace.text.TextLines;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.ZipException;

/**
 * Reads a CSV trace: the {@code #} header lines and the column row as text (they are not CSV),
 * then one event per row, each row split into byte ranges by {@link CsvRow} and its cells read
 * in place. Errors name the physical line of the file.
 */
final class CsvTraceReader extends AbstractIterator<TraceEvent> implements TraceReader {
    private static final AsciiNames<EventType> EVENTS = new AsciiNames<>(EventType.values(), EventType::wireName);
    private static final Names<WriteCr3.Root> ROOTS = new Names<>(WriteCr3.Root.values(), WriteCr3.Root::wireName);
    private static final Names<FlushTlb.Scope> SCOPES = new Names<>(FlushTlb.Scope.values(),
            FlushTlb.Scope::wireName);
    private static final Names<LazyMmu.Phase> PHASES = new Names<>(LazyMmu.Phase.values(), LazyMmu.Phase::wireName);
    private static final Names<Access.Kind> KINDS = new Names<>(Access.Kind.values(), Access.Kind::wireName);

    private final TextLines lines;
    private final String source;
    private final TraceHeader header;
    private final EventValidator validator;
    private final CsvRow row = new CsvRow();
    /** The file's layout version, and so its column count. */
    private final int version;
    private final int columns;
    /** The line being decoded, for the cell readers and their messages. */
    private long line;

    CsvTraceReader(InputStream in, String source) {
        this.lines = new TextLines(in);
        this.source = source;
        CsvHeaderLines headerLines = CsvHeaderLines.reading(source);
        String text = nextLine() ? lines.text() : null;
        if (text != null && text.startsWith("\uFEFF")) {
            text = text.substring(1); // the byte-order mark some spreadsheets write first
        }
        while (text != null && text.startsWith("#")) {
            headerLines.add(text, line);
            text = nextLine() ? lines.text() : null;
        }
        if (text == null) {
            throw TraceInputException.atLine(source, line + 1, TraceInputException.NO_FIELD,
                    "the file ends before the column row ('" + CsvLayout.COLUMNS[0] + "," + CsvLayout.COLUMNS[1]
                            + ",...', docs/trace-format.md)");
        }
        this.version = headerLines.version();
        this.columns = CsvLayout.columns(version);
        checkColumnRow(text, line);
        this.header = headerLines.header(line);
        this.validator = new EventValidator(header);
    }

    /** Moves to the next line of the file, counting it; false at the end. */
    private boolean nextLine() {
        try {
            if (!lines.next()) {
                return false;
            }
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof EOFException) {
                throw gzipEndsEarly(line + 1);
            }
            if (e.getCause() instanceof ZipException) {
                throw TraceInputException.atLine(source, line + 1, TraceInputException.NO_FIELD,
                        "corrupt gzip data (" + e.getCause().getMessage() + ")");
            }
            // the file could not be read (an I/O error): the line it stopped at, in plain words
            throw TraceInputException.atLine(source, line + 1, TraceInputException.NO_FIELD,
                    PlainReason.of(e.getCause()));
        }
        line++;
        return true;
    }

    /** A gzipped CSV that stops before the gzip end marker: what followed is lost. */
    private TraceInputException gzipEndsEarly(long at) {
        return TraceInputException.atLine(source, at, TraceInputException.NO_FIELD,
                "truncated: the gzip data ends early");
    }

    private void checkColumnRow(String text, long lineNo) {
        if (text.equals(CsvLayout.headerRow(version))) {
            return;
        }
        String[] got = text.split(",", -1);
        for (int i = 0; i < columns; i++) {
            if (i >= got.length || !got[i].equals(COLUMNS[i])) {
                throw TraceInputException.atLine(source, lineNo, COLUMNS[i], "expected column '" + COLUMNS[i]
                        + "' here in the column row, got " + quote(i < got.length ? got[i] : ""));
            }
        }
        throw TraceInputException.atLine(source, lineNo, TraceInputException.NO_FIELD,
                "expected " + columns + " columns in the column row of format version " + version + ", got "
                        + got.length);
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
        while (nextLine()) {
            int start = lines.start();
            int end = lines.end();
            if (start == end) {
                continue; // a blank line holds no event
            }
            if (!row.split(lines.bytes(), start, end)) {
                try {
                    row.parseQuoted(lines.text());
                } catch (IOException e) {
                    throw TraceInputException.atLine(source, line, TraceInputException.NO_FIELD,
                            "malformed CSV (" + e.getMessage() + ")");
                }
            }
            return decode();
        }
        return endOfData();
    }

    @Override
    public void close() {
        lines.close();
    }

    private TraceEvent decode() {
        if (row.size() != columns) {
            throw TraceInputException.atLine(source, line, TraceInputException.NO_FIELD,
                    "expected " + columns + " columns, got " + row.size());
        }
        EventType type = EVENTS.of(row.bytes(), row.from(CsvLayout.EVENT), row.to(CsvLayout.EVENT));
        if (type == null) {
            String name = row.text(CsvLayout.EVENT);
            throw TraceInputException.atLine(source, line, "event", name.isEmpty() ? "missing"
                    : "unknown event " + quote(name));
        }
        String name = type.wireName();
        if (type == EventType.GAP && version == 1) {
            throw TraceInputException.atLine(source, line, "event",
                    "format version 1 has no gap event (it came with version 2 and its lost_events column)");
        }
        int unused = row.filled() & ~CsvLayout.usedColumns(type);
        if (unused != 0) {
            int c = Integer.numberOfTrailingZeros(unused);
            throw TraceInputException.atLine(source, line, COLUMNS[c],
                    name + " has no " + COLUMNS[c] + " (leave the cell blank)");
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
            case GAP:
                // a blank count is the tracer's "events were lost" without a number
                return new Gap(cpu, ts, isBlank(CsvLayout.LOST_EVENTS) ? OptionalLong.empty()
                        : OptionalLong.of(decimal(CsvLayout.LOST_EVENTS, name)));
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
        return row.isBlank(column);
    }

    /** Refuses a blank cell that {@code needer} needs. */
    private void need(int column, String needer) {
        if (row.isBlank(column)) {
            throw missing(column, needer);
        }
    }

    private TraceInputException missing(int column, String needer) {
        return TraceInputException.atLine(source, line, COLUMNS[column], "missing (" + needer + " needs it)");
    }

    private long hex(int column, String needer) {
        need(column, needer);
        return CsvCells.parseHex(row.bytes(), row.from(column), row.to(column), source, line, COLUMNS[column]);
    }

    private long optionalHex(int column) {
        return isBlank(column) ? TraceEvent.NO_ADDRESS
                : CsvCells.parseHex(row.bytes(), row.from(column), row.to(column), source, line, COLUMNS[column]);
    }

    private long decimal(int column, String needer) {
        need(column, needer);
        return CsvCells.parseDecimal(row.bytes(), row.from(column), row.to(column), source, line, COLUMNS[column]);
    }

    private int int32(int column, String needer) {
        long v = decimal(column, needer);
        if (v > Integer.MAX_VALUE) {
            throw TraceInputException.atLine(source, line, COLUMNS[column], "bad number " + quote(row.text(column))
                    + " (too large)");
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
        need(column, needer);
        if (row.is(column, "true")) {
            return true;
        }
        if (row.is(column, "false")) {
            return false;
        }
        throw TraceInputException.atLine(source, line, COLUMNS[column], "bad boolean " + quote(row.text(column))
                + " (true or false)");
    }

    private <E extends Enum<E>> E named(int column, Names<E> names, String needer) {
        need(column, needer);
        E value = names.byBytes.of(row.bytes(), row.from(column), row.to(column));
        if (value == null) {
            throw TraceInputException.atLine(source, line, COLUMNS[column], "unknown " + COLUMNS[column] + " "
                    + quote(row.text(column)) + " (" + names.all + ")");
        }
        return value;
    }

    /** An enum's wire names, looked up by a cell's bytes, and listed for a refusal. */
    private static final class Names<E extends Enum<E>> {
        final AsciiNames<E> byBytes;
        final String all;

        Names(E[] values, Function<E, String> wireName) {
            this.byBytes = new AsciiNames<>(values, wireName);
            this.all = Arrays.stream(values).map(wireName).collect(Collectors.joining(", "));
        }
    }
}
