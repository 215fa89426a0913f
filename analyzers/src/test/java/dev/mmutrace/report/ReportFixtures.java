package dev.mmutrace.report;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedMap;
import dev.mmutrace.analyze.BatchReplay;
import dev.mmutrace.analyze.CostTable;
import dev.mmutrace.analyze.TraceSource;
import dev.mmutrace.fixture.SampleEvents;
import dev.mmutrace.fixture.ScriptedModel;
import dev.mmutrace.replay.ModelFactory;
import dev.mmutrace.replay.ModelOptions;
import java.util.List;

/** Batches replayed through the scripted test models under the real model names. */
final class ReportFixtures {
    private ReportFixtures() {
    }

    static final List<ModelFactory> MODELS = List.of(ScriptedModel.factory("lguest", "lguest"),
            ScriptedModel.factory("native", "native"), ScriptedModel.factory("xen", "xen"));

    static ReportBatch batch(int traces, int events) {
        ModelOptions options = new ModelOptions(7, ImmutableMap.of("kill_at", String.valueOf(events - 3)));
        BatchReplay replay = new BatchReplay(MODELS, options, CostTable.DEFAULTS, 0);
        ImmutableList.Builder<TraceSource> sources = ImmutableList.builder();
        for (int t = 0; t < traces; t++) {
            String path = "trace-" + t + ".csv";
            int n = events + t;
            sources.add(new TraceSource(path,
                    () -> SampleEvents.reader(path, SampleEvents.header(), SampleEvents.mixed(n))));
        }
        return new ReportBatch(new ReportOptions(7, 0, ImmutableList.of("lguest", "native", "xen"),
                ImmutableSortedMap.of("kill_at", String.valueOf(events - 3))), CostTable.DEFAULTS,
                replay.replayAll(sources.build(), 1));
    }
}
