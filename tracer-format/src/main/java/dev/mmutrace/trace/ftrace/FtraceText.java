package dev.mmutrace.trace.ftrace;

import static dev.mmutrace.trace.TraceInputException.quote;

import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.importer.ImportSummary;
import dev.mmutrace.trace.importer.TracepointRecord;
import dev.mmutrace.trace.importer.TracepointSource;
import dev.mmutrace.trace.io.PlainReason;
import dev.mmutrace.trace.text.Decimal;
import dev.mmutrace.trace.text.TextLines;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of an ftrace text file as tracepoint records, one at a time. Lines are scanned as
 * bytes ({@link TextLines}, {@link EventLine}, {@link Payload}): a string is made only for a line
 * that is not an event, an event name the translation does not know, or an error message.
 *
 * <p>The lines before the first event are read ahead when the file is opened, for the cpu count
 * a preamble may state ({@code #P:N} in a kernel trace file, {@code cpus=N} from trace-cmd), and
 * handed out again in order.
 */
final class FtraceText implements TracepointSource {
    /**
     * A lost-events line: the kernel's {@code CPU:N [LOST n EVENTS]} (trace_pipe), trace-cmd's
     * {@code CPU:N [n EVENTS DROPPED]} or, count unknown, {@code CPU:N [LOST EVENTS]}.
     */
    private static final Pattern LOST = Pattern.compile(
            "CPU:(\\d{1,6}) \\[(?:LOST (\\d{1,19}) EVENTS|(\\d{1,19}) EVENTS DROPPED|LOST EVENTS)\\]");

    /** Preamble lines looked through for a cpu count before the first event. */
    private static final int PREAMBLE_LINES = 256;

    private final TextLines lines;
    private final String source;
    private final ImportSummary.Tally tally;
    private final EventLine eventLine = new EventLine();
    private final TextRecord record = new TextRecord(eventLine, new Payload());
    private final ArrayDeque<byte[]> readAhead = new ArrayDeque<>();
    private final int statedCpus;
    private long lineNumber;

    FtraceText(TextLines lines, String source, ImportSummary.Tally tally) {
        this.lines = lines;
        this.source = source;
        this.tally = tally;
        this.statedCpus = readPreamble();
    }

    /** Reads lines up to the first event line into {@link #readAhead}; returns the cpu count found, or 0. */
    private int readPreamble() {
        EventLine probe = new EventLine();
        int cpus = 0;
        for (int i = 0; i < PREAMBLE_LINES && nextLine(lineNumber + readAhead.size() + 1); i++) {
            byte[] line = Arrays.copyOfRange(lines.bytes(), lines.start(), lines.end());
            readAhead.add(line);
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
    public boolean advance() {
        while (true) {
            boolean event;
            if (!readAhead.isEmpty()) {
                byte[] line = readAhead.poll();
                event = scan(line, 0, line.length);
            } else if (nextLine(lineNumber + 1)) {
                event = scan(lines.bytes(), lines.start(), lines.end());
            } else {
                return false;
            }
            if (event) {
                return true;
            }
        }
    }

    /** Reads line {@code number}; a failure to read it (corrupt gzip data, an I/O error) names it. */
    private boolean nextLine(long number) {
        try {
            return lines.next();
        } catch (UncheckedIOException e) {
            throw TraceInputException.atLine(source, number, TraceInputException.NO_FIELD,
                    PlainReason.of(e.getCause()));
        }
    }

    /** Scans the next line, {@code line[from, to)}; false when it is not an event (and is counted). */
    private boolean scan(byte[] line, int from, int to) {
        lineNumber++;
        tally.line();
        if (!eventLine.scan(line, from, to)) {
            notAnEvent(new String(line, from, to - from, StandardCharsets.UTF_8));
            return false;
        }
        record.fill(line);
        return true;
    }

    /**
     * Comments, the trace-cmd preamble and other tracers' lines are skipped; a line that names
     * one of our events but has no readable context is malformed, not skippable.
     */
    private void notAnEvent(String s) {
        String t = s.strip();
        Matcher lost = LOST.matcher(t);
        if (lost.matches()) {
            String count = lost.group(2) != null ? lost.group(2) : lost.group(3);
            tally.lost(Integer.parseInt(lost.group(1)), count == null ? -1 : Long.parseLong(count));
            return;
        }
        if (t.isEmpty() || t.startsWith("#")) {
            tally.skipped("comment, header and blank lines");
            return;
        }
        if (!t.contains("/*") && (t.contains("xen_mmu_") || t.contains("xen_mc_") || t.contains("page_fault_"))) {
            throw TraceInputException.atLine(source, lineNumber, "context", "expected '<task>-<pid> [<cpu>]"
                    + " [<flags>] <seconds>.<fraction>: <event>: ...' before the event in " + quote(t));
        }
        tally.skipped("lines that are not events (trace-cmd preamble, other tracers' output)");
    }

    @Override
    public TracepointRecord record() {
        return record;
    }

    @Override
    public TraceInputException.Unit unit() {
        return TraceInputException.Unit.LINE;
    }

    @Override
    public long position() {
        return lineNumber;
    }

    @Override
    public int statedCpus() {
        return statedCpus;
    }

    @Override
    public String statedCpusFrom() {
        return "the file's preamble";
    }

    @Override
    public String producerVersion() {
        return "text";
    }

    @Override
    public void close() {
        lines.close();
    }
}
