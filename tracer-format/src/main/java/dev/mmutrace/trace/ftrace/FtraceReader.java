package dev.mmutrace.trace.ftrace;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.AbstractIterator;
import com.google.common.collect.ImmutableMap;
import com.google.common.io.CharSource;
import dev.mmutrace.trace.AllocPt;
import dev.mmutrace.trace.EventValidator;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.Pin;
import dev.mmutrace.trace.PtepModifyProt;
import dev.mmutrace.trace.ReleasePt;
import dev.mmutrace.trace.SetPgd;
import dev.mmutrace.trace.SetPmd;
import dev.mmutrace.trace.SetPte;
import dev.mmutrace.trace.SetPteAt;
import dev.mmutrace.trace.SetPud;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.Unpin;
import dev.mmutrace.trace.WriteCr3;
import dev.mmutrace.trace.text.Decimal;
import dev.mmutrace.trace.text.TextLines;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads Linux ftrace text (the kernel's {@code trace} / {@code trace_pipe} files, or
 * {@code trace-cmd report} output) as a trace, one line at a time. Lines are scanned as bytes
 * ({@link TextLines}, {@link EventLine}, {@link Payload}): a string is made only for a line that
 * is not an event, an event name it does not know, or an error message.
 *
 * <p>The header must exist before the first event, yet the text says neither the vCPU count nor
 * the guest's memory size. Each comes from an option when given; the vCPU count otherwise from the
 * file's own preamble ({@code #P:N} in a kernel trace file, {@code cpus=N} from trace-cmd); and
 * whatever is still missing from a first pass over the file (so a stream that is not a file
 * needs the options). {@link #summary()} says which, and what was skipped and why.
 */
public final class FtraceReader extends AbstractIterator<TraceEvent> implements TraceReader {
    /** Preamble lines looked through for a cpu count before the first event. */
    private static final int PREAMBLE_LINES = 256;

    private final TextLines lines;
    private final String source;
    private final TraceHeader header;
    private final FtraceEvents events;
    private final ImportSummary.Tally tally = new ImportSummary.Tally();
    private final EventLine eventLine = new EventLine();
    private final Payload payload = new Payload();
    private final ArrayDeque<byte[]> readAhead;
    private final String vcpusFrom;
    private final String pfnLimitFrom;
    private final PagingMode mode;
    private final EventValidator validator;
    private long lineNumber;
    private int maxCpu = -1;
    private long maxPfn = -1;

    private FtraceReader(TextLines lines, String source, FtraceOptions options, ArrayDeque<byte[]> readAhead,
            int vcpus, String vcpusFrom, long pfnLimit, String pfnLimitFrom) {
        this.lines = lines;
        this.source = source;
        this.readAhead = readAhead;
        this.mode = options.mode();
        this.vcpusFrom = vcpusFrom;
        this.pfnLimitFrom = pfnLimitFrom;
        // initial memory stays unknown (the default): a kernel trace starts mid-run
        TraceHeader h = TraceHeader.defaults(options.mode(), vcpus, pfnLimit).withProducer("linux-ftrace", "text");
        ImmutableMap<String, String> labels = ImmutableMap.<String, String>builder()
                .putAll(options.labels()).put("imported-from", "ftrace").buildKeepingLast();
        this.header = new TraceHeader(h.formatVersion(), h.pagingMode(), h.vcpus(), h.pfnLimit(),
                options.directMapBase(), h.initMmPgd(), h.p2m(), h.cpuFeatures(), h.accessMode(),
                h.initialMemory(), h.producer(), h.producerVersion(), labels);
        this.events = new FtraceEvents(source, options, pfnLimit, tally);
        this.validator = new EventValidator(header);
    }

    /** Opens a file (gzip when it ends in {@code .gz}), with a first pass when a count must be inferred. */
    public static FtraceReader open(Path path, FtraceOptions options) {
        requireNonNull(options, "options");
        String source = path.toString();
        TextLines in = lines(path);
        ArrayDeque<byte[]> ahead = new ArrayDeque<>();
        int preambleCpus = readPreamble(in, ahead);
        int vcpus = options.vcpus();
        String vcpusFrom = "--vcpus option";
        if (vcpus == FtraceOptions.INFER && preambleCpus > 0) {
            vcpus = preambleCpus;
            vcpusFrom = "the file's preamble (" + preambleCpus + " cpus)";
        }
        long pfnLimit = options.pfnLimit();
        String pfnLimitFrom = "--pfn-limit option";
        if (vcpus == FtraceOptions.INFER || pfnLimit == FtraceOptions.INFER) {
            long[] seen = firstPass(path, options);
            if (vcpus == FtraceOptions.INFER) {
                vcpus = (int) Math.max(1, seen[0] + 1);
                vcpusFrom = "highest cpu in the trace + 1 (first pass)";
            }
            if (pfnLimit == FtraceOptions.INFER) {
                pfnLimit = Math.max(1, seen[1] + 1);
                pfnLimitFrom = "highest pfn the trace names + 1 (first pass): no pfn can show as beyond memory";
            }
        }
        return checkedCreate(in, source, options, ahead, vcpus, vcpusFrom, pfnLimit, pfnLimitFrom);
    }

    /** Opens a stream; the vCPU count may come from its preamble, the pfn limit must be given. */
    public static FtraceReader open(Reader reader, String source, FtraceOptions options) {
        TextLines in = new TextLines(utf8(reader));
        ArrayDeque<byte[]> ahead = new ArrayDeque<>();
        int preambleCpus = readPreamble(in, ahead);
        int vcpus = options.vcpus();
        String vcpusFrom = "--vcpus option";
        if (vcpus == FtraceOptions.INFER) {
            if (preambleCpus <= 0) {
                throw TraceInputException.ofFile(source, "the vCPU count is not in the file's preamble and a"
                        + " stream cannot be read twice: give --vcpus");
            }
            vcpus = preambleCpus;
            vcpusFrom = "the file's preamble (" + preambleCpus + " cpus)";
        }
        if (options.pfnLimit() == FtraceOptions.INFER) {
            throw TraceInputException.ofFile(source, "a stream cannot be read twice to infer the guest's"
                    + " memory size: give --pfn-limit");
        }
        return checkedCreate(in, source, options, ahead, vcpus, vcpusFrom, options.pfnLimit(), "--pfn-limit option");
    }

    private static FtraceReader checkedCreate(TextLines in, String source, FtraceOptions options,
            ArrayDeque<byte[]> ahead, int vcpus, String vcpusFrom, long pfnLimit, String pfnLimitFrom) {
        if (vcpus > TraceHeader.MAX_VCPUS) {
            throw TraceInputException.ofFile(source, "the trace names " + vcpus + " cpus, more than the "
                    + TraceHeader.MAX_VCPUS + " a trace can hold: give --vcpus");
        }
        return new FtraceReader(in, source, options, ahead, vcpus, vcpusFrom, pfnLimit, pfnLimitFrom);
    }

    /** {highest cpu, highest pfn} over the whole file, read with every limit open. */
    private static long[] firstPass(Path path, FtraceOptions options) {
        FtraceOptions open = options.withVcpus(TraceHeader.MAX_VCPUS).withPfnLimit(Long.MAX_VALUE >>> 12);
        try (FtraceReader r = new FtraceReader(lines(path), path.toString(), open, new ArrayDeque<>(),
                TraceHeader.MAX_VCPUS, "", Long.MAX_VALUE >>> 12, "")) {
            while (r.hasNext()) {
                r.noteExtent(r.next());
            }
            return new long[] {r.maxCpu, r.maxPfn};
        }
    }

    private static TextLines lines(Path path) {
        try {
            InputStream raw = Files.newInputStream(path);
            return new TextLines(path.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A reader's text as UTF-8 bytes, so streams and files go through the same byte scan. */
    private static InputStream utf8(Reader reader) {
        try {
            return new CharSource() {
                @Override
                public Reader openStream() {
                    return reader;
                }
            }.asByteSource(StandardCharsets.UTF_8).openStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads lines up to the first event line into {@code ahead}; returns the cpu count found, or 0. */
    private static int readPreamble(TextLines in, ArrayDeque<byte[]> ahead) {
        EventLine probe = new EventLine();
        int cpus = 0;
        for (int i = 0; i < PREAMBLE_LINES && in.next(); i++) {
            byte[] line = Arrays.copyOfRange(in.bytes(), in.start(), in.end());
            ahead.add(line);
            if (probe.scan(line, 0, line.length)) {
                break;
            }
            String s = new String(line, StandardCharsets.UTF_8);
            int p = s.indexOf("#P:");
            if (p >= 0) {
                cpus = leadingNumber(s, p + 3);
            } else if (s.startsWith("cpus=")) {
                cpus = leadingNumber(s, 5);
            }
        }
        return cpus;
    }

    /** The cpu count at the start of {@code s[from...]}: 0 when there is none, capped far above any trace's. */
    private static int leadingNumber(String s, int from) {
        byte[] b = s.substring(from).getBytes(StandardCharsets.US_ASCII);
        return (int) Decimal.atMost(b, 0, Decimal.digitsEnd(b, 0, b.length), 100_000);
    }

    @Override
    public TraceHeader header() {
        return header;
    }

    @Override
    public String source() {
        return source;
    }

    /** What the import has done so far; complete once the reader is exhausted. */
    public ImportSummary summary() {
        return tally.snapshot(source, vcpusFrom, pfnLimitFrom);
    }

    @Override
    protected TraceEvent computeNext() {
        TraceEvent e = advance();
        return e == null ? endOfData() : e;
    }

    private TraceEvent advance() {
        while (true) {
            TraceEvent e;
            if (!readAhead.isEmpty()) {
                byte[] line = readAhead.poll();
                e = eventOf(line, 0, line.length);
            } else if (lines.next()) {
                e = eventOf(lines.bytes(), lines.start(), lines.end());
            } else {
                return null;
            }
            if (e != null) {
                return e;
            }
        }
    }

    /** The event of the next line, {@code line[from, to)}, or null when it is skipped (and counted). */
    private TraceEvent eventOf(byte[] line, int from, int to) {
        lineNumber++;
        tally.lines++;
        if (!eventLine.scan(line, from, to)) {
            notAnEvent(new String(line, from, to - from, StandardCharsets.UTF_8));
            return null;
        }
        int cpu = eventLine.cpu;
        if (cpu >= header.vcpus()) {
            throw TraceInputException.atLine(source, lineNumber, "cpu", "cpu " + cpu + " but the trace has "
                    + header.vcpus() + " vCPUs (" + vcpusFrom + ")");
        }
        Tracepoint name = Tracepoint.of(line, eventLine.nameStart, eventLine.nameEnd);
        if (name == null) {
            events.skipUnknown(eventLine.eventName());
            return null;
        }
        payload.parse(line, eventLine.payloadStart, eventLine.payloadEnd);
        TraceEvent e;
        try {
            e = events.translate(name, cpu, eventLine.timestampNs, payload, lineNumber);
        } catch (IllegalArgumentException ex) {
            throw TraceInputException.atLine(source, lineNumber, name.text(), ex.getMessage());
        }
        if (e != null) {
            validator.check(e, source, TraceInputException.Unit.LINE, lineNumber);
            tally.emitted(e.type());
        }
        return e;
    }

    /**
     * Comments, the trace-cmd preamble and other tracers' lines are skipped; a line that names
     * one of our events but has no readable context is malformed, not skippable.
     */
    private void notAnEvent(String s) {
        String t = s.strip();
        if (t.isEmpty() || t.startsWith("#")) {
            tally.skipped("comment, header and blank lines");
            return;
        }
        if (!t.contains("/*") && (t.contains("xen_mmu_") || t.contains("xen_mc_") || t.contains("page_fault_"))) {
            throw TraceInputException.atLine(source, lineNumber, "context", "expected '<task>-<pid> [<cpu>]"
                    + " [<flags>] <seconds>.<fraction>: <event>: ...' before the event in '" + t + "'");
        }
        tally.skipped("lines that are not events (trace-cmd preamble, other tracers' output)");
    }

    /** Records the highest cpu and pfn an event names (the first pass). */
    private void noteExtent(TraceEvent e) {
        maxCpu = Math.max(maxCpu, e.cpu());
        if (e instanceof SetPte s) {
            notePfns(s.entryGpa(), s.value());
        } else if (e instanceof SetPteAt s) {
            notePfns(s.entryGpa(), s.value());
            maxPfn = Math.max(maxPfn, s.mm() >>> 12);
        } else if (e instanceof PtepModifyProt s) {
            notePfns(s.entryGpa(), s.value());
            maxPfn = Math.max(maxPfn, s.mm() >>> 12);
        } else if (e instanceof SetPmd s) {
            notePfns(s.entryGpa(), s.value());
        } else if (e instanceof SetPud s) {
            notePfns(s.entryGpa(), s.value());
        } else if (e instanceof SetPgd s) {
            notePfns(s.entryGpa(), s.value());
            if (s.hasUserEntry()) {
                maxPfn = Math.max(maxPfn, s.userEntryGpa() >>> 12);
            }
        } else if (e instanceof AllocPt a) {
            maxPfn = Math.max(maxPfn, a.pfn());
        } else if (e instanceof ReleasePt r) {
            maxPfn = Math.max(maxPfn, r.pfn());
        } else if (e instanceof Pin p) {
            maxPfn = Math.max(maxPfn, p.tableGpa() >>> 12);
        } else if (e instanceof Unpin u) {
            maxPfn = Math.max(maxPfn, u.tableGpa() >>> 12);
        } else if (e instanceof WriteCr3 w) {
            maxPfn = Math.max(maxPfn, w.pgd() >>> 12);
        }
    }

    private void notePfns(long entryGpa, long value) {
        maxPfn = Math.max(maxPfn, entryGpa >>> 12);
        if ((value & 1) != 0) {
            long frameMask = mode == PagingMode.TWO_LEVEL ? 0xffff_f000L : 0x000f_ffff_ffff_f000L;
            maxPfn = Math.max(maxPfn, (value & frameMask) >>> 12);
        }
    }

    @Override
    public void close() {
        lines.close();
    }
}
