package dev.mmutrace.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * Binary replay through all three models against a bare decode of the same file with the same
 * reader: how much of a replay's time the models and analyzers add to reading the events. The
 * target is held by the replay as {@code mmutrace replay --jobs 2} runs one trace, its decoding
 * read ahead on the second core; the replay on one thread, decode and models taking turns, is
 * shown beside it so the gain is in view.
 */
final class DecodeRatio implements Measurement {
    static final double TARGET = 0.5;

    @Override
    public String title() {
        return "binary replay through all models vs a bare decode";
    }

    @Override
    public List<Figure> run(BenchInputs inputs) {
        Path trace = inputs.binary();
        Timing timing = inputs.settings().timing();
        long events = inputs.settings().events();
        double decode = events / timing.medianSeconds(() -> Replays.decode(trace));
        double oneThread = events / timing.medianSeconds(() -> Replays.file(trace, Replays.all()));
        double twoThreads = events / timing.medianSeconds(() -> Replays.fileTwoThreads(trace, Replays.all()));
        return List.of(
                Figure.shown("binary decode", decode, "events/s",
                        "TraceFiles.open + next() over " + events + " events"),
                Figure.shown("binary replay, native+xen+lguest, 1 thread", oneThread, "events/s",
                        "decode + engine + 3 models + analyzers, as mmutrace replay --jobs 1"),
                Figure.shown("replay / decode, 1 thread", oneThread / decode, "x",
                        "decode and models taking turns on one core"),
                Figure.shown("binary replay, native+xen+lguest, 2 threads", twoThreads, "events/s",
                        "the same as mmutrace replay --jobs 2: the models split over two threads, one decoding"),
                Figure.held("replay / decode", twoThreads / decode, "x", TARGET,
                        "2-thread replay rate / decode rate"));
    }
}
