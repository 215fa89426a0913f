package dev.mmutrace.trace.text;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A text stream cut into chunks of whole lines, so that each chunk can be scanned on a thread of
 * its own ({@link TextLines#TextLines(byte[], int, int)} splits one): each chunk is read once
 * from the stream into an array of its own (one the caller hands back for reuse, when it has
 * done with an earlier chunk, or a fresh one), and a line never spans two chunks.
 *
 * <p>The subtle thing: a chunk must end where {@link TextLines} would end a line, and a
 * {@code \r} at the end of what has been read may be the first half of a {@code \r\n}, so the cut
 * is after the last {@code \n}, or after a {@code \r} with a byte after it. A line longer than a
 * chunk grows the chunk. When a read fails, the whole lines read before the failure are still
 * handed out as a chunk (as {@link TextLines} hands them out before it fails), and the failure
 * comes with the next call: the line it names is the one the failure cut.
 */
public final class TextChunks implements Closeable {
    private final InputStream in;
    private final int chunkBytes;
    private byte[] carry = new byte[0];
    private int carryLength;
    private boolean eof;
    private IOException failure;

    /** {@code chunkBytes} is a chunk's usual size (at least 16); a longer line makes a longer chunk. */
    public TextChunks(InputStream in, int chunkBytes) {
        this.in = in;
        this.chunkBytes = Math.max(16, chunkBytes);
    }

    /** One chunk: whole lines in {@code bytes[0, length)}; the last line lacks its end only at the stream's end. */
    public record Chunk(byte[] bytes, int length) {
    }

    /** The next chunk in a fresh array, or null at the end of the stream; a failed read after the lines before it. */
    public Chunk next() throws IOException {
        return next(null);
    }

    /**
     * As {@link #next()}, read into {@code spare} (an earlier chunk's array the caller no longer
     * needs) when it is at least a chunk long; null or a shorter one means a fresh array.
     */
    public Chunk next(byte[] spare) throws IOException {
        if (failure != null) {
            IOException f = failure;
            failure = null;
            eof = true; // what follows a failed read is not read
            carryLength = 0;
            throw f;
        }
        if (eof && carryLength == 0) {
            return null;
        }
        int size = Math.max(chunkBytes, carryLength * 2);
        byte[] buf = spare != null && spare.length >= size ? spare : new byte[size];
        System.arraycopy(carry, 0, buf, 0, carryLength);
        int limit = carryLength;
        carryLength = 0;
        while (true) {
            while (!eof && failure == null && limit < buf.length) {
                try {
                    int n = in.read(buf, limit, buf.length - limit);
                    if (n < 0) {
                        eof = true;
                    } else {
                        limit += n;
                    }
                } catch (IOException e) {
                    failure = e;
                }
            }
            if (eof) {
                return limit == 0 ? null : new Chunk(buf, limit);
            }
            // after a failure a \r at the end ends its line, as TextLines has handed that line out
            int cut = lastCut(buf, limit, failure != null);
            if (failure != null) {
                return cut == 0 ? next(buf) : new Chunk(buf, cut);
            }
            if (cut > 0) {
                carryLength = limit - cut;
                if (carry.length < carryLength) {
                    carry = new byte[Math.max(carryLength, 2 * carry.length)];
                }
                System.arraycopy(buf, cut, carry, 0, carryLength);
                return new Chunk(buf, cut);
            }
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
    }

    /** Where the text after the last whole line in {@code b[0, limit)} starts; 0 when there is no whole line. */
    private static int lastCut(byte[] b, int limit, boolean crAtEndEnds) {
        for (int i = limit - 1; i >= 0; i--) {
            if (b[i] == '\n' || (b[i] == '\r' && (i < limit - 1 || crAtEndEnds))) {
                return i + 1;
            }
        }
        return 0;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
