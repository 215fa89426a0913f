package dev.mmutrace.bench;

import dev.mmutrace.analyze.BatchReplay;
import dev.mmutrace.analyze.CostTable;
import dev.mmutrace.analyze.TraceAnalyzer;
import dev.mmutrace.analyze.TraceSource;
import dev.mmutrace.replay.ModelFactory;
import dev.mmutrace.replay.ModelOptions;
import dev.mmutrace.replay.Models;
import dev.mmutrace.replay.ReplayEngine;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.io.TraceFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The replays the bench times, each the path {@code mmutrace replay} takes (engine, models and
 * the analyzers that build the report), without rendering the report.
 */
final class Replays {
    private Replays() {
    }

    static List<ModelFactory> all() {
        return List.copyOf(Models.available().values());
    }

    static ModelFactory model(String name) {
        return Models.named(name).orElseThrow(() -> new IllegalStateException("this build has no model " + name));
    }

    static BatchReplay batch(List<ModelFactory> models) {
        return new BatchReplay(models, ModelOptions.DEFAULTS, CostTable.DEFAULTS, 0);
    }

    static TraceSource source(Path p) {
        return new TraceSource(p.toString(), () -> TraceFiles.open(p));
    }

    /** Replays the trace file through {@code models}; the event count. */
    static long file(Path p, List<ModelFactory> models) {
        return batch(models).replay(source(p)).trace().events();
    }

    /**
     * Replays the trace file through {@code models} as {@code mmutrace replay --jobs 2} does for
     * one trace: a large one has its models split over two threads, the first also decoding
     * (docs/report-format.md); a small one, or one model, is decoded ahead on the second thread.
     */
    static long fileTwoThreads(Path p, List<ModelFactory> models) {
        return batch(models).replayAll(List.of(source(p)), 2).get(0).trace().events();
    }

    /** Replays events held in memory through {@code models}: the replay without the decode. */
    static long inMemory(TraceHeader header, List<TraceEvent> events, List<ModelFactory> models) {
        List<String> names = new ArrayList<>();
        models.forEach(f -> names.add(f.name()));
        TraceAnalyzer analyzer = new TraceAnalyzer("memory", header, names, CostTable.DEFAULTS, 0);
        long n = new ReplayEngine(header, models, ModelOptions.DEFAULTS, analyzer).run(events.iterator());
        analyzer.report();
        return n;
    }

    /**
     * Reads every event of the trace file and only counts it: the decode alone. The reader's
     * checks can throw, so the JIT cannot drop the decoding.
     */
    static long decode(Path p) {
        long n = 0;
        try (TraceReader r = TraceFiles.open(p)) {
            while (r.hasNext()) {
                r.next();
                n++;
            }
        }
        return n;
    }

    static TraceHeader header(Path p) {
        try (TraceReader r = TraceFiles.open(p)) {
            return r.header();
        }
    }
}
