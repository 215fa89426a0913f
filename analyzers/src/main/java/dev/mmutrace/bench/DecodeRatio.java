package dev.mmutrace.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * Binary replay through all three models against a bare decode of the same file with the same
 * reader: how much of a replay's time the models and analyzers add to reading the events.
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
        double replay = events / timing.medianSeconds(() -> Replays.file(trace, Replays.all()));
        return List.of(
                Figure.shown("binary decode", decode, "events/s",
                        "TraceFiles.open + next() over " + events + " events"),
                Figure.shown("binary replay, native+xen+lguest", replay, "events/s",
                        "decode + engine + 3 models + analyzers, as mmutrace replay"),
                Figure.held("replay / decode", replay / decode, "x", TARGET, "the two rates above"));
    }
}
