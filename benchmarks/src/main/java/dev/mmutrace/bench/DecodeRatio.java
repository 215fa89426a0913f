package dev.mmutrace.bench;

import java.util.List;
import java.util.Locale;

/**
 * The binary decode alone (issue 20's target: 30M events/s on one core), then the binary replay
 * through all three models against that decode of the same file with the same reader: how much
 * of a replay's time the models and analyzers add to reading the events, shown for one thread and
 * for two as {@code mmutrace replay --jobs 2} runs one trace. Issue 8 held replay/decode at 0.5;
 * issue 20 replaced issue 8 and holds the decode itself, and a faster decode only lowers that
 * ratio, so it is shown, not held. All timed in fresh child JVMs ({@link TimedChildren}), the
 * decode first in each.
 */
final class DecodeRatio {
    static final double DECODE_TARGET = 30_000_000;

    private DecodeRatio() {
    }

    static Measured figures(BenchInputs inputs) {
        long events = inputs.settings().events();
        Timing timing = inputs.settings().timing();
        ChildRuns runs = TimedChildren.run(inputs, TimedWork.Work.DECODE_AND_REPLAY, timing,
                List.of(inputs.binary()));
        Times decodeTimes = runs.medians("decode");
        double decode = events / decodeTimes.wallSeconds();
        double oneThread = events / runs.medians("replay, 1 thread").wallSeconds();
        double twoThreads = events / runs.medians("replay, 2 threads").wallSeconds();
        String where = TimedChildren.where(inputs);
        MachineProbeReadings probe = runs.machineProbe("decode runs", List.of("decode"));
        return Measured.probed(List.of(
                Figure.held("binary decode", decode, "events/s", DECODE_TARGET, String.format(Locale.ROOT,
                        "TraceFiles.open + next() over %d events %s, wall clock, median of %d runs, each child"
                        + " after %s warm-ups (until two young collections since the young generation last"
                        + " grew, at least %d, at most %d); by the thread's cpu time %,.0f events/s", events, where,
                        runs.named("decode").size(), runs.warmupsOf("decode"), timing.warmups() * TimedWork.DECODE_WARMUPS,
                        timing.warmups() * TimedWork.DECODE_MOST_WARMUPS, events / decodeTimes.cpuSeconds())),
                probe.figure(),
                Figure.shown("binary replay, native+xen+lguest, 1 thread", oneThread, "events/s",
                        "decode + engine + 3 models + analyzers, as mmutrace replay --jobs 1, the same JVMs"),
                Figure.shown("replay / decode, 1 thread", oneThread / decode, "x",
                        "decode and models taking turns on one core"),
                Figure.shown("binary replay, native+xen+lguest, 2 threads", twoThreads, "events/s",
                        "the same as mmutrace replay --jobs 2: the models split over two threads, one decoding"),
                Figure.shown("replay / decode", twoThreads / decode, "x",
                        "2-thread replay rate / decode rate (issue 8's 0.5, withdrawn with it)")), probe);
    }
}
