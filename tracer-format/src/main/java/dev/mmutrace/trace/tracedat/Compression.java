package dev.mmutrace.trace.tracedat;

import dev.mmutrace.trace.TraceInputException;
import io.airlift.compress.MalformedInputException;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The compression a trace.dat version 7 file names in its header: {@code none}, {@code zlib}
 * (the JDK's {@link Inflater}: trace-cmd writes zlib streams) or {@code zstd} (aircompressor's
 * pure-Java decompressor, so no native library is needed).
 */
enum Compression {
    NONE, ZLIB, ZSTD;

    static Compression named(String name, String source) {
        switch (name) {
            case "none":
            case "":
                return NONE;
            case "zlib":
                return ZLIB;
            case "zstd":
                return ZSTD;
            default:
                throw TraceInputException.ofFile(source, "compression '" + name + "' is not one this reader knows"
                        + " (none, zlib, zstd)");
        }
    }

    /** The {@code size} bytes {@code in} inflates to; anything else is a damaged file. */
    byte[] decompress(byte[] in, int size, String source, String what) {
        byte[] out = new byte[size];
        int n;
        switch (this) {
            case ZLIB: {
                Inflater inflater = new Inflater();
                try {
                    inflater.setInput(in);
                    n = inflater.inflate(out);
                    if (!inflater.finished()) {
                        n = -1;
                    }
                } catch (DataFormatException e) {
                    throw TraceInputException.ofFile(source, what + ": damaged zlib data (" + e.getMessage() + ")");
                } finally {
                    inflater.end();
                }
                break;
            }
            case ZSTD:
                try {
                    n = new ZstdDecompressor().decompress(in, 0, in.length, out, 0, size);
                } catch (MalformedInputException | IllegalArgumentException | IndexOutOfBoundsException e) {
                    throw TraceInputException.ofFile(source, what + ": damaged zstd data (" + e.getMessage() + ")");
                }
                break;
            default:
                if (in.length != size) {
                    throw TraceInputException.ofFile(source, what + ": " + in.length + " bytes where " + size
                            + " were said");
                }
                return in;
        }
        if (n != size) {
            throw TraceInputException.ofFile(source, what + ": decompresses to " + n + " bytes, not the " + size
                    + " the file says");
        }
        return out;
    }
}
