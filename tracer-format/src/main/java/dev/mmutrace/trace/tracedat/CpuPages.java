package dev.mmutrace.trace.tracedat;

import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.io.TaskResults;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;

/**
 * One cpu's ring-buffer pages in file order, one page at a time, taken from blocks of pages read
 * ahead: {@value #PLAIN_BLOCK_PAGES} pages at a time straight from the file, or (version 7 with
 * compression) one chunk of pages inflated at a time, so a cpu's data is never held whole.
 *
 * <p>The subtle thing: the blocks are read and inflated on the pool's threads, {@value #AHEAD}
 * ahead of the one in use, while the pages before them are walked; only the small chunk headers
 * are read here, since each says where the next chunk starts. A block that cannot be read (a
 * truncated file, a damaged chunk) fails when its turn comes, after every page before it, with
 * the message a page-by-page reader would give there. The thread that needs a block no pool
 * thread has started reads it itself ({@link FutureTask#run()} does nothing on a started task).
 */
final class CpuPages {
    static final int PLAIN_BLOCK_PAGES = 64;
    private static final int AHEAD = 4;

    private final TraceDatFile file;
    private final TraceDatFile.CpuRegion region;
    private final int pageSize;
    private final Executor pool;
    private final ArrayDeque<FutureTask<byte[]>> ahead = new ArrayDeque<>();
    private final ByteOrder order;
    private long position;
    private long chunksLeft = -1;
    private boolean queuedAll;
    private byte[] block = new byte[0];
    private int blockAt;
    private long pagesRead;

    CpuPages(TraceDatFile file, TraceDatFile.CpuRegion region, Executor pool) {
        this.file = file;
        this.region = region;
        this.pageSize = file.pageSize;
        this.pool = pool;
        this.position = region.offset();
        this.order = file.bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    /** How many pages have been handed out, for messages ("page 3 of cpu 1"). */
    long pagesRead() {
        return pagesRead;
    }

    /** The next page, or null after the last one. */
    ByteBuffer next() {
        while (blockAt >= block.length) {
            fillAhead();
            FutureTask<byte[]> task = ahead.poll();
            if (task == null) {
                return null;
            }
            block = take(task);
            blockAt = 0;
            fillAhead();
        }
        ByteBuffer page = ByteBuffer.wrap(block, blockAt, pageSize).slice().order(order);
        blockAt += pageSize;
        pagesRead++;
        return page;
    }

    private static byte[] take(FutureTask<byte[]> task) {
        task.run();
        return TaskResults.join(task, "reading trace.dat pages");
    }

    /** Queues blocks until {@value #AHEAD} are ahead or the cpu's data is all queued. */
    private void fillAhead() {
        while (!queuedAll && ahead.size() < AHEAD) {
            FutureTask<byte[]> task;
            try {
                task = file.chunked ? nextChunk() : nextPlain();
            } catch (RuntimeException e) {
                // a header that cannot be read fails in its turn, after the pages before it
                task = new FutureTask<>(() -> {
                    throw e;
                });
                queuedAll = true;
            }
            if (task == null) {
                queuedAll = true;
                return;
            }
            ahead.add(task);
            pool.execute(task);
        }
    }

    private FutureTask<byte[]> nextPlain() {
        long end = region.offset() + region.size();
        if (position >= end) {
            return null;
        }
        if (end - position < pageSize) {
            throw TraceInputException.ofFile(file.source, "cpu " + region.cpu() + ": its data ends "
                    + (end - position) + " bytes into a " + pageSize + "-byte page");
        }
        long inFile = file.size() - position;
        if (inFile < pageSize) {
            throw TraceInputException.ofFile(file.source, "truncated: the file ends inside its cpu " + region.cpu()
                    + " data");
        }
        // a block stops at the file's end, so the whole pages before a truncation are walked first
        long pages = Math.min(PLAIN_BLOCK_PAGES, Math.min(end - position, inFile) / pageSize);
        long at = position;
        int bytes = (int) (pages * pageSize);
        position += bytes;
        String what = "cpu " + region.cpu() + " data";
        return new FutureTask<>(() -> file.readAt(at, bytes, what).array());
    }

    private FutureTask<byte[]> nextChunk() {
        if (chunksLeft < 0) {
            chunksLeft = file.readAt(position, 4, "cpu " + region.cpu() + " chunk count").getInt() & 0xffffffffL;
            position += 4;
        }
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
        long at = position + 8;
        position += 8 + compressed;
        chunksLeft--;
        String what = "cpu " + region.cpu() + " chunk";
        return new FutureTask<>(() -> file.compression.decompress(file.readAt(at, (int) compressed, what).array(),
                (int) plain, file.source, what));
    }
}
