package dev.mmutrace.trace.tracedat;

import dev.mmutrace.trace.TraceInputException;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The metadata of a trace.dat file read in the file's byte order: numbers of 2, 4 and 8 bytes,
 * NUL-terminated strings and sized blobs. A file that ends early is bad input naming what it was
 * reading.
 */
final class MetaReader {
    private final InputStream in;
    private final boolean bigEndian;
    private final String source;

    MetaReader(InputStream in, boolean bigEndian, String source) {
        this.in = in;
        this.bigEndian = bigEndian;
        this.source = source;
    }

    int u2(String what) {
        return (int) number(2, what);
    }

    long u4(String what) {
        return number(4, what);
    }

    long u8(String what) {
        return number(8, what);
    }

    long number(int size, String what) {
        byte[] b = bytes(size, what);
        long v = 0;
        for (int i = 0; i < size; i++) {
            int k = bigEndian ? i : size - 1 - i;
            v = (v << 8) | (b[k] & 0xff);
        }
        return v;
    }

    byte[] bytes(long size, String what) {
        if (size < 0 || size > Integer.MAX_VALUE - 8) {
            throw bad(what + ": impossible size " + size);
        }
        try {
            byte[] b = in.readNBytes((int) size);
            if (b.length < size) {
                throw new EOFException();
            }
            return b;
        } catch (EOFException e) {
            throw bad("truncated: the file ends inside its " + what);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String text(long size, String what) {
        return new String(bytes(size, what), StandardCharsets.UTF_8);
    }

    String cstring(String what) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw bad("truncated: the file ends inside its " + what);
                }
                if (c == 0) {
                    return b.toString(StandardCharsets.UTF_8);
                }
                if (b.size() > 4096) {
                    throw bad(what + ": no end to a name");
                }
                b.write(c);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void skip(long size, String what) {
        try {
            in.skipNBytes(size);
        } catch (EOFException e) {
            throw bad("truncated: the file ends inside its " + what);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TraceInputException bad(String problem) {
        return TraceInputException.ofFile(source, problem);
    }
}
