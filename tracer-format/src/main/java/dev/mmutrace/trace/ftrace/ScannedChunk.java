package dev.mmutrace.trace.ftrace;

import dev.mmutrace.trace.importer.Tracepoint;
import dev.mmutrace.trace.text.TextLines;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One chunk of ftrace text, scanned: for each of its lines, where it lies and whether it is an
 * event line, and for an event line its context columns ({@link EventLine}), the tracepoint its
 * name is, and its payload's fields ({@link Payload}, only for the tracepoints the translation
 * knows). This is the part of an import that needs no state from earlier lines, so chunks are
 * scanned on threads of their own ({@link ChunkScanner}); nothing here is translated, checked or
 * counted, and nothing is refused: that is done in order, line by line, by {@link FtraceText}.
 *
 * <p>An instance is used again for a later chunk once the translation has done with it (its text
 * array and columns are a few megabytes that would otherwise be garbage every chunk):
 * {@link #scan} forgets what it held.
 */
final class ScannedChunk {
    byte[] text;
    int lines;
    int[] lineStart;
    int[] lineEnd;
    boolean[] event;
    int[] cpu;
    int[] pid;
    long[] timestampNs;
    int[] nameStart;
    int[] nameEnd;
    Tracepoint[] tracepoint;
    /** The line's payload in {@link #payloads}, -1 for an event the translation does not know. */
    int[] payload;
    final Payload payloads = new Payload();

    ScannedChunk() {
        grow(16);
    }

    /** Scans the lines of {@code text[0, length)}, forgetting the chunk scanned before. */
    ScannedChunk scan(byte[] text, int length) {
        this.text = text;
        lines = 0;
        payloads.clear();
        // the bench's lines average 131 bytes, a kernel trace's 90-130
        int expected = length / 96;
        if (lineStart.length < expected) {
            grow(expected);
        }
        EventLine line = new EventLine();
        TextLines all = new TextLines(text, 0, length);
        while (all.next()) {
            if (lines == lineStart.length) {
                grow(lines * 2);
            }
            scanLine(line, all.start(), all.end());
        }
        return this;
    }

    /**
     * Scans {@code text[from, to)} as the next line. A method of its own, called once a line, so
     * that the JIT compiles it as soon as a few thousand lines have passed, rather than only once
     * the loop over a chunk's lines has run long enough to be compiled where it stands.
     */
    private void scanLine(EventLine line, int from, int to) {
        int i = lines++;
        lineStart[i] = from;
        lineEnd[i] = to;
        boolean isEvent = line.scan(text, from, to);
        event[i] = isEvent;
        if (isEvent) {
            cpu[i] = line.cpu;
            pid[i] = line.pid;
            timestampNs[i] = line.timestampNs;
            nameStart[i] = line.nameStart;
            nameEnd[i] = line.nameEnd;
            Tracepoint t = Tracepoint.of(text, line.nameStart, line.nameEnd);
            tracepoint[i] = t;
            payload[i] = t == Tracepoint.OTHER ? -1 : payloads.parse(text, line.payloadStart, line.payloadEnd);
        }
    }

    /** Line {@code i} as text, for the rare lines that are not events. */
    String lineText(int i) {
        return new String(text, lineStart[i], lineEnd[i] - lineStart[i], StandardCharsets.UTF_8);
    }

    /** The event name of line {@code i} as printed, for names the translation does not know. */
    String eventName(int i) {
        return new String(text, nameStart[i], nameEnd[i] - nameStart[i], StandardCharsets.UTF_8);
    }

    private void grow(int n) {
        lineStart = lineStart == null ? new int[n] : Arrays.copyOf(lineStart, n);
        lineEnd = lineEnd == null ? new int[n] : Arrays.copyOf(lineEnd, n);
        event = event == null ? new boolean[n] : Arrays.copyOf(event, n);
        cpu = cpu == null ? new int[n] : Arrays.copyOf(cpu, n);
        pid = pid == null ? new int[n] : Arrays.copyOf(pid, n);
        timestampNs = timestampNs == null ? new long[n] : Arrays.copyOf(timestampNs, n);
        nameStart = nameStart == null ? new int[n] : Arrays.copyOf(nameStart, n);
        nameEnd = nameEnd == null ? new int[n] : Arrays.copyOf(nameEnd, n);
        tracepoint = tracepoint == null ? new Tracepoint[n] : Arrays.copyOf(tracepoint, n);
        payload = payload == null ? new int[n] : Arrays.copyOf(payload, n);
    }
}
