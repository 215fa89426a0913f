package dev.mmutrace.trace.ftrace;

import static dev.mmutrace.trace.TraceInputException.quote;

import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.importer.ImportSummary;
import dev.mmutrace.trace.importer.Loss;
import dev.mmutrace.trace.importer.TracepointRecord;
import dev.mmutrace.trace.importer.TracepointSource;
import dev.mmutrace.trace.io.PlainReason;
import dev.mmutrace.trace.text.Decimal;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of an ftrace text file as tracepoint records, one at a time, in the file's order.
 * The lines are scanned as bytes, a chunk at a time, ahead on other threads ({@link ChunkScanner},
 * {@link ScannedChunk}); here each line is taken in order, numbered, counted, and either handed
 * out as a record or judged as a line that is not an event. A string is made only for a line that
 * is not an event, an event name the translation does not know, or an error message.
 *
 * <p>The lines before the first event are looked at when the file is opened, for the cpu count
 * a preamble may state ({@code #P:N} in a kernel trace file, {@code cpus=N} from trace-cmd); the
 * chunks they lie in are kept and handed out again in order.
 */
final class FtraceText implements TracepointSource {
    /**
     * A lost-events line, printed just before the first event of that cpu after the loss: the
     * kernel's {@code CPU:N [LOST n EVENTS]} ({@code trace}, {@code trace_pipe}; count unknown:
     * {@code CPU:N [LOST EVENTS]} since Linux 5.8, {@code (unsigned long)-1} as the number before),
     * trace-cmd report's {@code CPU:N [n EVENTS DROPPED]} (count unknown: {@code CPU:N [EVENTS
     * DROPPED]}).
     */
    private static final Pattern LOST = Pattern.compile(
            "CPU:(\\d{1,6}) \\[(?:LOST (\\d{1,20}) EVENTS|(\\d{1,20}) EVENTS DROPPED|LOST EVENTS|EVENTS DROPPED)\\]");

    /** Preamble lines looked through for a cpu count before the first event. */
    private static final int PREAMBLE_LINES = 256;

    private final ChunkScanner scanner;
    private final String source;
    private final ImportSummary.Tally tally;
    private final TextRecord record = new TextRecord();
    private final ArrayDeque<ScannedChunk> readAhead = new ArrayDeque<>();
    private final int statedCpus;
    private ScannedChunk chunk;
    private int nextLine;
    private long lineNumber;
    /** The lost-events line just read, if that is what the source is at. */
    private Optional<Loss> loss = Optional.empty();

    FtraceText(ChunkScanner scanner, String source, ImportSummary.Tally tally) {
        this.scanner = scanner;
        this.source = source;
        this.tally = tally;
        try {
            this.statedCpus = readPreamble();
        } catch (RuntimeException e) {
            scanner.close();
            throw e;
        }
    }

    /** Looks at the lines up to the first event line, keeping their chunks; returns the cpu count found, or 0. */
    private int readPreamble() {
        int cpus = 0;
        int seen = 0;
        while (seen < PREAMBLE_LINES) {
            ScannedChunk c = nextChunk(seen + 1);
            if (c == null) {
                break;
            }
            readAhead.add(c);
            for (int i = 0; i < c.lines && seen < PREAMBLE_LINES; i++) {
                seen++;
                if (c.event[i]) {
                    return cpus;
                }
                String s = c.lineText(i);
                int p = s.indexOf("#P:");
                if (p >= 0) {
                    cpus = leadingNumber(s, p + 3);
                } else if (s.startsWith("cpus=")) {
                    cpus = leadingNumber(s, 5);
                }
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
        loss = Optional.empty();
        while (true) {
            if (chunk == null || nextLine == chunk.lines) {
                if (chunk != null) {
                    scanner.recycle(chunk); // the record handed out last is done with: advance() was called again
                }
                chunk = readAhead.isEmpty() ? nextChunk(lineNumber + 1) : readAhead.poll();
                nextLine = 0;
                if (chunk == null) {
                    return false;
                }
                continue;
            }
            int i = nextLine++;
            lineNumber++;
            tally.line();
            if (chunk.event[i]) {
                record.fill(chunk, i);
                return true;
            }
            notAnEvent(chunk.lineText(i));
            if (loss.isPresent()) {
                return true;
            }
        }
    }

    /**
     * The next chunk of lines, whose first line is line {@code number}; a failure to read (corrupt
     * gzip data, an I/O error) names the line it cut.
     */
    private ScannedChunk nextChunk(long number) {
        try {
            return scanner.next();
        } catch (UncheckedIOException e) {
            throw TraceInputException.atLine(source, number, TraceInputException.NO_FIELD,
                    PlainReason.of(e.getCause()));
        }
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
            loss = Optional.of(new Loss(Integer.parseInt(lost.group(1)), lostCount(count)));
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

    /**
     * The count a lost-events line gives: none when it names none, and none for a number of 2^63
     * or more, which only the kernel's (unsigned long)-1 for "unknown" reaches.
     */
    private static OptionalLong lostCount(String digits) {
        if (digits == null) {
            return OptionalLong.empty();
        }
        long n;
        try {
            n = Long.parseUnsignedLong(digits);
        } catch (NumberFormatException beyond64Bits) {
            return OptionalLong.empty();
        }
        return n > 0 ? OptionalLong.of(n) : OptionalLong.empty();
    }

    @Override
    public Optional<Loss> loss() {
        return loss;
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
        scanner.close();
    }
}
