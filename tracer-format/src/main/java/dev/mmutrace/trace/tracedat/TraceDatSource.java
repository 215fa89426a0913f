package dev.mmutrace.trace.tracedat;

import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.importer.ImportSummary;
import dev.mmutrace.trace.importer.Loss;
import dev.mmutrace.trace.importer.TracepointRecord;
import dev.mmutrace.trace.importer.TracepointSource;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The events of a trace.dat file in time order: each cpu's pages are walked by a
 * {@link CpuCursor}, and the cpu whose next event is earliest goes next (the lowest cpu on a tie,
 * as {@code trace-cmd report} orders them). Each cpu's pages are read (and inflated) a block at a
 * time on a pool of one thread per core (at most {@value #MAX_READ_THREADS}), a few blocks ahead of the merge.
 */
final class TraceDatSource implements TracepointSource {
    /** Inflating is about half of an import's work; more threads than this only hold more blocks. */
    private static final int MAX_READ_THREADS = 4;
    private final TraceDatFile file;
    private final ImportSummary.Tally tally;
    private final List<CpuCursor> cursors = new ArrayList<>();
    private final boolean[] live;
    private final Int2ObjectOpenHashMap<TraceDatRecord.Layout> layouts = new Int2ObjectOpenHashMap<>();
    private final TraceDatRecord record;
    /** Reads and inflates each cpu's blocks of pages ahead of the merge ({@link CpuPages}). */
    private final ExecutorService pool;
    private long position;
    /** The loss handed out just before the record it preceded, while the source is at it. */
    private Optional<Loss> loss = Optional.empty();
    /** Whether the next record's lost count has been handed out (it is, one advance before the record). */
    private boolean lossHandedOut;

    TraceDatSource(FileChannel channel, String source, ImportSummary.Tally tally) {
        this.file = TraceDatFile.read(channel, source);
        this.tally = tally;
        this.record = new TraceDatRecord(file);
        AtomicInteger n = new AtomicInteger();
        int threads = Math.max(1, Math.min(MAX_READ_THREADS, Runtime.getRuntime().availableProcessors()));
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "trace-dat-read-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        for (TraceDatFile.CpuRegion r : file.regions()) {
            cursors.add(new CpuCursor(r.cpu(), new CpuPages(file, r, pool), file));
        }
        live = new boolean[cursors.size()];
        try {
            for (int i = 0; i < cursors.size(); i++) {
                live[i] = cursors.get(i).advance();
            }
        } catch (RuntimeException e) {
            pool.shutdownNow();
            throw e;
        }
    }

    @Override
    public boolean advance() {
        int best = -1;
        for (int i = 0; i < cursors.size(); i++) {
            if (live[i] && (best < 0 || cursors.get(i).eventTimestamp < cursors.get(best).eventTimestamp)) {
                best = i;
            }
        }
        if (best < 0) {
            return false;
        }
        CpuCursor c = cursors.get(best);
        if (c.lostBefore != 0 && !lossHandedOut) {
            // as trace-cmd report prints it: the loss first, then the record it preceded
            lossHandedOut = true;
            loss = Optional.of(new Loss(c.cpu, c.lostBefore < 0 ? OptionalLong.empty() : OptionalLong.of(c.lostBefore)));
            return true;
        }
        lossHandedOut = false;
        loss = Optional.empty();
        position++;
        tally.line();
        int id = c.eventLength >= 2 ? c.page().getShort(c.eventOffset) & 0xffff : -1;
        TraceDatRecord.Layout layout = layouts.get(id);
        if (layout == null) {
            EventFormat format = file.formats.get(id);
            if (format == null) {
                throw TraceInputException.atRecord(file.source, position, "common_type", "event id " + id
                        + " on cpu " + c.cpu + " has no format in the file");
            }
            layout = new TraceDatRecord.Layout(format);
            layouts.put(id, layout);
        }
        record.fill(layout, c.page(), c.eventOffset, c.eventLength, c.cpu, c.eventTimestamp);
        live[best] = c.advance();
        return true;
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
        return TraceInputException.Unit.RECORD;
    }

    @Override
    public long position() {
        // a loss stands where the record it preceded does
        return loss.isPresent() ? position + 1 : position;
    }

    @Override
    public int statedCpus() {
        return file.cpus;
    }

    @Override
    public String statedCpusFrom() {
        return "the trace.dat header";
    }

    @Override
    public String producerVersion() {
        return "trace.dat v" + file.version + (file.compression == Compression.NONE ? ""
                : " " + file.compression.name().toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            file.channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
