package dev.mmutrace.trace.tracedat;

import dev.mmutrace.trace.TraceInputException;
import java.nio.ByteBuffer;

/**
 * One cpu's ring-buffer pages in file order, one page at a time: read straight from the file, or
 * (version 7 with compression) inflated one chunk of pages at a time, so a cpu's data is never
 * held whole.
 */
final class CpuPages {
    private final TraceDatFile file;
    private final TraceDatFile.CpuRegion region;
    private final int pageSize;
    private long position;
    private long chunksLeft = -1;
    private byte[] chunk = new byte[0];
    private int chunkAt;
    private long pagesRead;

    CpuPages(TraceDatFile file, TraceDatFile.CpuRegion region) {
        this.file = file;
        this.region = region;
        this.pageSize = file.pageSize;
        this.position = region.offset();
    }

    /** How many pages have been handed out, for messages ("page 3 of cpu 1"). */
    long pagesRead() {
        return pagesRead;
    }

    /** The next page, or null after the last one. */
    ByteBuffer next() {
        ByteBuffer page = file.chunked ? nextChunked() : nextPlain();
        if (page != null) {
            pagesRead++;
        }
        return page;
    }

    private ByteBuffer nextPlain() {
        long end = region.offset() + region.size();
        if (position >= end) {
            return null;
        }
        if (end - position < pageSize) {
            throw TraceInputException.ofFile(file.source, "cpu " + region.cpu() + ": its data ends "
                    + (end - position) + " bytes into a " + pageSize + "-byte page");
        }
        ByteBuffer page = file.readAt(position, pageSize, "cpu " + region.cpu() + " data");
        position += pageSize;
        return page;
    }

    private ByteBuffer nextChunked() {
        if (chunksLeft < 0) {
            chunksLeft = file.readAt(position, 4, "cpu " + region.cpu() + " chunk count").getInt() & 0xffffffffL;
            position += 4;
        }
        while (chunkAt >= chunk.length) {
            if (chunksLeft == 0) {
                return null;
            }
            ByteBuffer sizes = file.readAt(position, 8, "cpu " + region.cpu() + " chunk header");
            long compressed = sizes.getInt() & 0xffffffffL;
            long plain = sizes.getInt() & 0xffffffffL;
            if (compressed > region.size() || plain > (1L << 30) || plain % pageSize != 0) {
                throw TraceInputException.ofFile(file.source, "cpu " + region.cpu() + ": chunk of " + compressed
                        + " bytes inflating to " + plain + " (not whole " + pageSize + "-byte pages)");
            }
            ByteBuffer data = file.readAt(position + 8, (int) compressed, "cpu " + region.cpu() + " chunk");
            position += 8 + compressed;
            chunksLeft--;
            chunk = file.compression.decompress(data.array(), (int) plain, file.source, "cpu " + region.cpu()
                    + " chunk");
            chunkAt = 0;
        }
        ByteBuffer page = ByteBuffer.wrap(chunk, chunkAt, pageSize).slice()
                .order(file.bigEndian ? java.nio.ByteOrder.BIG_ENDIAN : java.nio.ByteOrder.LITTLE_ENDIAN);
        chunkAt += pageSize;
        return page;
    }
}
