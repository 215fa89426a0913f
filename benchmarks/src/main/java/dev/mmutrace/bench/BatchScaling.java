package dev.mmutrace.bench;

import dev.mmutrace.analyze.BatchReplay;
import dev.mmutrace.analyze.TraceSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Several traces replayed through every model with one worker thread and with two (replay --jobs), in turn. */
final class BatchScaling {
    static final double TARGET = 1.7;

    private BatchScaling() {
    }

    static List<Figure> figures(BenchInputs inputs) {
        List<TraceSource> sources = new ArrayList<>();
        for (Path p : inputs.batch()) {
            sources.add(Replays.source(p));
        }
        BatchReplay batch = Replays.batch(Replays.all());
        Timing timing = inputs.settings().timing();
        // in turn, round after round, so that both see the same spells of the machine
        int rounds = 2 * timing.runs() + 1;
        Timing.Paired times = timing.alternate(() -> batch.replayAll(sources, 1), () -> batch.replayAll(sources, 2),
                rounds);
        double one = times.firstSeconds();
        double two = times.secondSeconds();
        String what = sources.size() + " traces of " + inputs.settings().events() / 2 + " events, all models, median of "
                + rounds + " rounds in turn";
        return List.of(
                Figure.shown("--jobs 1", one, "s", what),
                Figure.shown("--jobs 2", two, "s", what),
                Figure.held("speed-up", one / two, "x", TARGET, "--jobs 1 time / --jobs 2 time"));
    }
}
