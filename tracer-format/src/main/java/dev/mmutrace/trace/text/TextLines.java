package dev.mmutrace.trace.text;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of a text stream as ranges of one reused byte buffer: nothing is decoded and no
 * {@code String} is made unless asked for ({@link #text()}). Line ends are those of
 * {@code BufferedReader.readLine}: {@code \n}, {@code \r} or {@code \r\n}, and the last line
 * needs none, so the ftrace importer and the CSV reader see the same lines whichever way the
 * file was written.
 *
 * <p>The subtle thing: a line may straddle two reads. Then the part already read moves to the
 * buffer's start before the next read, and a line longer than the whole buffer doubles it. A
 * range handed out stays valid only until the next {@link #next()}.
 */
public final class TextLines implements Closeable {
    /** Big enough for thousands of lines per read, small enough to stay in a core's L2 cache. */
    public static final int BUFFER_BYTES = 1 << 18;

    private final InputStream in;
    private byte[] buf;
    private int limit; // bytes read into buf
    private int next; // where the next line starts
    private int scanned; // how far the search for the next line end has got
    private boolean eof;
    private boolean lfAfterCr; // the last line ended with \r: a \n right after it belongs to it
    private int start;
    private int end;

    public TextLines(InputStream in) {
        this(in, BUFFER_BYTES);
    }

    /** {@code bufferBytes} is only the starting size: a longer line grows the buffer. */
    public TextLines(InputStream in, int bufferBytes) {
        this.in = in;
        this.buf = new byte[Math.max(16, bufferBytes)];
    }

    /** The lines of {@code bytes[from, to)}, read in place: a chunk of text already in memory ({@link TextChunks}). */
    public TextLines(byte[] bytes, int from, int to) {
        this.in = InputStream.nullInputStream();
        this.buf = bytes;
        this.next = from;
        this.scanned = from;
        this.limit = to;
        this.eof = true;
    }

    /** Moves to the next line; false at the end of the stream. */
    public boolean next() {
        while (true) {
            if (lfAfterCr) {
                if (next == limit && !eof) {
                    fill();
                    continue;
                }
                if (next < limit && buf[next] == '\n') {
                    next++;
                }
                lfAfterCr = false;
                scanned = next;
            }
            int e = ByteScan.lineEnd(buf, Math.max(next, scanned), limit);
            if (e < limit) {
                start = next;
                end = e;
                lfAfterCr = buf[e] == '\r';
                next = e + 1;
                scanned = next;
                return true;
            }
            scanned = limit;
            if (eof) {
                if (next == limit) {
                    return false;
                }
                start = next;
                end = limit;
                next = limit;
                return true;
            }
            fill();
        }
    }

    /** The buffer holding the current line; valid until the next {@link #next()}. */
    public byte[] bytes() {
        return buf;
    }

    /** Where the current line starts in {@link #bytes()}. */
    public int start() {
        return start;
    }

    /** Where the current line ends (its line end excluded). */
    public int end() {
        return end;
    }

    /** The current line decoded, for the rare lines that need a string. */
    public String text() {
        return new String(buf, start, end - start, StandardCharsets.UTF_8);
    }

    /** Keeps the unfinished line, at the buffer's start, and reads after it. */
    private void fill() {
        if (next > 0) {
            System.arraycopy(buf, next, buf, 0, limit - next);
            limit -= next;
            scanned -= next;
            next = 0;
        }
        if (limit == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        try {
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                eof = true;
            } else {
                limit += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
