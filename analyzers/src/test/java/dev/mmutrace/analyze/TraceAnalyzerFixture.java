package dev.mmutrace.analyze;

import dev.mmutrace.replay.observe.Observation;
import dev.mmutrace.report.ModelReport;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.TraceHeader;
import java.util.List;

/** One model's observations fed through a TraceAnalyzer over a 2level, 1-vCPU header. */
final class TraceAnalyzerFixture {
    private final String model;
    private final TraceAnalyzer analyzer;

    TraceAnalyzerFixture(String model, long interval) {
        this.model = model;
        this.analyzer = new TraceAnalyzer("test.csv", TraceHeader.defaults(PagingMode.TWO_LEVEL, 1, 1024),
                List.of(model), CostTable.DEFAULTS, interval);
    }

    void add(Observation o) {
        analyzer.onObservation(model, o);
    }

    ModelReport report(long events) {
        analyzer.onEnd(events);
        return analyzer.report().models().get(model);
    }
}
