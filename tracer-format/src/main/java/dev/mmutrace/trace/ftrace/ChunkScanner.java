package dev.mmutrace.trace.ftrace;

import dev.mmutrace.trace.io.TaskResults;
import dev.mmutrace.trace.text.TextChunks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An ftrace text stream scanned ahead on other threads, handed out chunk by chunk in the
 * stream's order: one thread reads the stream into chunks of whole lines ({@link TextChunks}),
 * each chunk is scanned ({@link ScannedChunk#scan}) by a pool of one thread per core but the
 * translating thread's (at least one, at most {@value #MAX_THREADS}), and
 * {@link #next()} returns them in order. The stream is read once, as it comes (a pipe too).
 * A chunk the translation has done with comes back through {@link #recycle} and is read and
 * scanned into again, so its megabyte of text and its columns are not garbage every chunk.
 *
 * <p>The subtle thing: the thread that takes the next chunk also scans it when no pool thread has
 * started it yet, and while a pool thread is still scanning it, scans a later chunk that none has
 * started ({@link Scan}: whichever thread claims a chunk first scans it, the other passes it by),
 * so it never waits idle for a chunk while there is scanning to do: the scanning and the
 * translation share the cores whichever of the two is the heavier. How far the reading may run ahead is bounded
 * ({@link #AHEAD} chunks per scanning thread), so memory stays a few megabytes whatever the
 * input's size. A failure to read arrives after the chunks before it, as an {@link UncheckedIOException}.
 */
final class ChunkScanner implements AutoCloseable {
    /** A chunk's usual size: thousands of lines, small enough for a core's cache. */
    static final int CHUNK_BYTES = 1 << 20;
    private static final int AHEAD = 2;
    /**
     * The translating thread does about 40% of an import's work, so more scanning threads than
     * this cannot make it faster, and each would hold {@link #AHEAD} more chunks.
     */
    private static final int MAX_THREADS = 4;

    private final TextChunks chunks;
    private final ExecutorService pool;
    private final BlockingQueue<Item> queue;
    private final Thread reader;
    /** Chunks the translation has done with, for the reading thread to fill again. */
    private final Queue<ScannedChunk> spare = new ConcurrentLinkedQueue<>();
    private boolean ended;

    /** A chunk being scanned, the end of the stream, or a read that failed. */
    private record Item(Scan scan, IOException failure) {
    }

    /** A chunk's scan, run by whichever thread claims it first; the other's {@link #run} does nothing. */
    private static final class Scan extends FutureTask<ScannedChunk> {
        private final AtomicBoolean claimed = new AtomicBoolean();

        Scan(ScannedChunk into, TextChunks.Chunk c) {
            super(() -> into.scan(c.bytes(), c.length()));
        }

        /** Scans the chunk unless another thread has claimed it; true when this call scanned it. */
        boolean claim() {
            if (!claimed.compareAndSet(false, true)) {
                return false;
            }
            super.run();
            return true;
        }

        @Override
        public void run() {
            claim();
        }
    }

    private static final Item END = new Item(null, null);

    ChunkScanner(java.io.InputStream in, int chunkBytes) {
        this.chunks = new TextChunks(in, chunkBytes);
        // the translating thread keeps a core: it is what every line waits for, and it scans a
        // chunk itself when the pool is behind (on 2 cores, 2 pool threads cost 0.2-0.3 s more cpu
        // for the bench's 2M lines than 1, and were no faster)
        int threads = Math.max(1, Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors() - 1));
        this.queue = new ArrayBlockingQueue<>(AHEAD * threads + 1);
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> daemon(r, "ftrace-scan-" + n.incrementAndGet()));
        this.reader = daemon(this::read, "ftrace-read");
        reader.start();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** The reading thread: chunk after chunk into the queue, then the end or the failure. */
    private void read() {
        try {
            while (true) {
                ScannedChunk into = spare.poll();
                if (into == null) {
                    into = new ScannedChunk();
                }
                TextChunks.Chunk c;
                try {
                    c = chunks.next(into.text);
                } catch (IOException e) {
                    queue.put(new Item(null, e));
                    return;
                }
                if (c == null) {
                    queue.put(END);
                    return;
                }
                Scan scan = new Scan(into, c);
                pool.execute(scan);
                queue.put(new Item(scan, null));
            }
        } catch (InterruptedException e) {
            // closed: nobody takes what this thread would read
        } catch (RuntimeException e) {
            // a stream may fail unchecked; the taker gets it as a failed read
            queue.offer(new Item(null, new IOException(e.getMessage(), e)));
        } finally {
            pool.shutdown();
        }
    }

    /** The next chunk scanned, in the stream's order; null after the last one (or after a failure). */
    ScannedChunk next() {
        if (ended) {
            return null;
        }
        Item item;
        try {
            item = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading ftrace text", e);
        }
        if (item.scan() == null) {
            ended = true;
            if (item.failure() != null) {
                throw new UncheckedIOException(item.failure());
            }
            return null;
        }
        Scan scan = item.scan();
        scan.claim();
        while (!scan.isDone() && claimLater()) {
            // scanned a later chunk while a pool thread scans this one
        }
        return TaskResults.join(scan, "scanning ftrace text");
    }

    /** Scans the first chunk read ahead that no thread has started; false when there is none. */
    private boolean claimLater() {
        for (Item later : queue) {
            if (later.scan() != null && later.scan().claim()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Hands back a chunk {@link #next()} returned, once nothing reads it any more (its lines'
     * records and texts included), to be filled with a later chunk.
     */
    void recycle(ScannedChunk done) {
        spare.offer(done);
    }

    /** Stops reading and scanning and closes the stream. */
    @Override
    public void close() {
        ended = true;
        reader.interrupt();
        pool.shutdownNow();
        try {
            chunks.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
