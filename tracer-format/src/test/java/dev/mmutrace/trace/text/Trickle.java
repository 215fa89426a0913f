package dev.mmutrace.trace.text;

import java.io.IOException;
import java.io.InputStream;

/** A stream that hands out at most {@code step} bytes per read, and fails once {@code failAt} bytes are read (-1: never). */
final class Trickle extends InputStream {
    private final byte[] bytes;
    private final int step;
    private final int failAt;
    private int at;

    Trickle(byte[] bytes, int step) {
        this(bytes, step, -1);
    }

    Trickle(byte[] bytes, int step, int failAt) {
        this.bytes = bytes;
        this.step = step;
        this.failAt = failAt;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (at == failAt) {
            throw new IOException("disk read error");
        }
        if (at == bytes.length) {
            return -1;
        }
        int end = failAt >= 0 ? failAt : bytes.length;
        int n = Math.min(Math.min(len, step), end - at);
        System.arraycopy(bytes, at, b, off, n);
        at += n;
        return n;
    }
}
