package dev.mmutrace.analyze;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.mmutrace.replay.ModelFactory;
import dev.mmutrace.replay.ReplayListener;
import dev.mmutrace.replay.WorkCounter;
import dev.mmutrace.replay.observe.Observation;
import dev.mmutrace.replay.observe.ObservationSink;
import dev.mmutrace.report.Gaps;
import dev.mmutrace.report.ModelReport;
import dev.mmutrace.report.TraceInfo;
import dev.mmutrace.report.TraceReport;
import dev.mmutrace.report.WindowInfo;
import dev.mmutrace.trace.Gap;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.window.WindowStart;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    /** The window replayed, if not the whole trace, and where it starts (event 0 for the whole trace). */
    private final Optional<WindowRun> window;
    private final WindowStart start;
    /** The trace's gaps replayed (inside the window), in event order. */
    private final ImmutableList.Builder<Gaps.Entry> gaps = ImmutableList.builder();
    /** The number of the event after the last one replayed, once the replay has ended. */
    private long end = -1;

    /**
     * @param models the model names of the replay: each gets a report even if it observed nothing
     *     (models with no counters of their own; see {@link #of})
     * @param interval events per time-series bucket, or 0 for an automatic interval
     */
    public TraceAnalyzer(String path, TraceHeader header, List<String> models, CostTable costs, long interval) {
        this(path, header, models, costs, interval, Optional.empty(), WindowStart.whole());
    }

    private TraceAnalyzer(String path, TraceHeader header, List<String> models, CostTable costs, long interval,
            Optional<WindowRun> window, WindowStart start) {
        this.window = window;
        this.start = start;
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
        return of(path, header, models, costs, interval, Optional.empty(), WindowStart.whole());
    }

    /**
     * The analyzer of a replay of {@code window} (when there is one) of a trace: its figures,
     * series and event count cover the events from {@code start} on.
     */
    public static TraceAnalyzer of(String path, TraceHeader header, List<ModelFactory> models, CostTable costs,
            long interval, Optional<WindowRun> window, WindowStart start) {
        TraceAnalyzer a = new TraceAnalyzer(path, header, List.of(), costs, interval, window, start);
        for (ModelFactory f : models) {
            a.counters.put(f.name(), f.counters());
            a.analyzer(f.name());
        }
        return a;
    }

    private ModelAnalyzer analyzer(String model) {
        return models.computeIfAbsent(model, m -> new ModelAnalyzer(m, header.pagingMode().levels(),
                counters.getOrDefault(m, List.of()), costs, interval, start::index));
    }

    /** The trace's own facts the report shows beside the models' figures: its gaps. */
    @Override
    public void onEventStart(long index, TraceEvent event) {
        if (event instanceof Gap g) {
            gaps.add(new Gaps.Entry(index, g.cpu(), g.lostEvents().isPresent()
                    ? Optional.of(g.lostEvents().getAsLong()) : Optional.empty()));
        }
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
    public void onEnd(long endIndex) {
        this.end = endIndex;
    }

    /** The report; valid once the replay has ended. */
    public TraceReport report() {
        if (end < 0) {
            throw new IllegalStateException("the replay of " + path + " has not ended");
        }
        List<Timeline> timelines = new ArrayList<>();
        models.values().forEach(a -> timelines.add(a.timeline()));
        long first = start.index();
        long events = end - first;
        long seriesInterval = Timeline.commonInterval(events, interval, timelines);
        ImmutableSortedMap.Builder<String, ModelReport> b = ImmutableSortedMap.naturalOrder();
        models.forEach((name, a) -> b.put(name, a.report(events, seriesInterval)));
        Optional<WindowInfo> windowInfo = window.map(w -> new WindowInfo(w.window().described(), first,
                end - 1, w.warm(), w.warm() ? first : 0));
        TraceInfo info = new TraceInfo(path, events, header.pagingMode().wireName(), header.vcpus(),
                ImmutableSortedMap.copyOf(header.labels()), windowInfo, Gaps.of(gaps.build()));
        return new TraceReport(info, b.build());
    }
}
