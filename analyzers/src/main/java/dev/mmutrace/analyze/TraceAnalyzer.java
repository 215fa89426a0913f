package dev.mmutrace.analyze;

import com.google.common.collect.ImmutableSortedMap;
import dev.mmutrace.replay.ModelFactory;
import dev.mmutrace.replay.ReplayListener;
import dev.mmutrace.replay.WorkCounter;
import dev.mmutrace.replay.observe.Observation;
import dev.mmutrace.replay.observe.ObservationSink;
import dev.mmutrace.report.ModelReport;
import dev.mmutrace.report.TraceInfo;
import dev.mmutrace.report.TraceReport;
import dev.mmutrace.trace.TraceHeader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Listens to one replay and routes each model's observations to that model's analyzer; at the end
 * it gives the trace's report. One per replay: it holds no state shared with another.
 */
public final class TraceAnalyzer implements ReplayListener {
    private final String path;
    private final TraceHeader header;
    private final CostTable costs;
    private final long interval;
    private final Map<String, ModelAnalyzer> models = new TreeMap<>();
    private final Map<String, List<WorkCounter>> counters = new HashMap<>();
    private long events = -1;

    /**
     * @param models the model names of the replay: each gets a report even if it observed nothing
     *     (models with no counters of their own; see {@link #of})
     * @param interval events per time-series bucket, or 0 for an automatic interval
     */
    public TraceAnalyzer(String path, TraceHeader header, List<String> models, CostTable costs, long interval) {
        this.path = path;
        this.header = header;
        this.costs = costs;
        this.interval = interval;
        for (String m : models) {
            analyzer(m);
        }
    }

    /** The analyzer of a replay through {@code models}, each with the counters its factory declares. */
    public static TraceAnalyzer of(String path, TraceHeader header, List<ModelFactory> models, CostTable costs,
            long interval) {
        TraceAnalyzer a = new TraceAnalyzer(path, header, List.of(), costs, interval);
        for (ModelFactory f : models) {
            a.counters.put(f.name(), f.counters());
            a.analyzer(f.name());
        }
        return a;
    }

    private ModelAnalyzer analyzer(String model) {
        return models.computeIfAbsent(model, m -> new ModelAnalyzer(m, header.pagingMode().levels(),
                counters.getOrDefault(m, List.of()), costs, interval));
    }

    @Override
    public void onObservation(String model, Observation observation) {
        analyzer(model).observe(observation);
    }

    /**
     * The model's analyzer itself: the engine's models interleave their observations event by
     * event, so finding the analyzer by name on each one was a map lookup per observation.
     */
    @Override
    public ObservationSink sink(String model) {
        return analyzer(model)::observe;
    }

    @Override
    public void onEnd(long eventCount) {
        this.events = eventCount;
    }

    /** The report; valid once the replay has ended. */
    public TraceReport report() {
        if (events < 0) {
            throw new IllegalStateException("the replay of " + path + " has not ended");
        }
        List<Timeline> timelines = new ArrayList<>();
        models.values().forEach(a -> timelines.add(a.timeline()));
        long seriesInterval = Timeline.commonInterval(events, interval, timelines);
        ImmutableSortedMap.Builder<String, ModelReport> b = ImmutableSortedMap.naturalOrder();
        models.forEach((name, a) -> b.put(name, a.report(events, seriesInterval)));
        TraceInfo info = new TraceInfo(path, events, header.pagingMode().wireName(), header.vcpus(),
                ImmutableSortedMap.copyOf(header.labels()));
        return new TraceReport(info, b.build());
    }
}
