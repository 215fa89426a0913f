package dev.mmutrace.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.replay.MemoryModel;
import dev.mmutrace.replay.ModelFactory;
import dev.mmutrace.replay.ModelOptions;
import dev.mmutrace.replay.Models;
import dev.mmutrace.replay.ReplayContext;
import dev.mmutrace.replay.ReplayListener;
import dev.mmutrace.replay.observe.ObservationSink;
import dev.mmutrace.report.TraceReport;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceReader;
import dev.mmutrace.trace.generate.GeneratorSettings;
import dev.mmutrace.trace.generate.Workload;
import dev.mmutrace.trace.generate.WorkloadGenerator;
import dev.mmutrace.trace.io.TraceFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One trace's models split over threads give the report one thread gives, and the split gives
 * each thread a like share of the work.
 */
class ModelThreadsTest {
    private static final List<ModelFactory> ALL = List.copyOf(Models.available().values());
    private static final ReplayListener NO_PROGRESS = (model, observation) -> {
    };

    /**
     * Costs 58, 36, 93 (lguest, native, xen, as their factories state them), the first thread
     * starting at the decoding's 45; each model, the costliest first, goes to the least loaded
     * thread. Two threads: xen to thread 1 (0 < 45), lguest to thread 0 (45 < 93: 103), native
     * to thread 1 (93 < 103: 129). Three: xen to 1, lguest to 2 (0), native to 0 (45 < 58).
     */
    @Test
    void theCostliestModelsGoFirstToTheLeastLoadedThread() {
        List<ModelFactory> models = List.of(fake("lguest", 58), fake("native", 36), fake("xen", 93));
        assertThat(names(ModelThreads.groups(models, 1))).containsExactly(List.of("lguest", "native", "xen"));
        assertThat(names(ModelThreads.groups(models, 2))).containsExactly(List.of("lguest"), List.of("native", "xen"));
        assertThat(names(ModelThreads.groups(models, 3)))
                .containsExactly(List.of("native"), List.of("xen"), List.of("lguest"));
        assertThat(names(ModelThreads.groups(models, 8))).hasSize(3);
    }

    static Stream<String> samples() {
        return Stream.of("buggy-guest-2level.csv", "ctxswitch-storm-pae.mmtrace", "mmap-munmap-4level.csv",
                "xen-guest-ftrace.csv", "boot-2level.csv");
    }

    @ParameterizedTest
    @MethodSource("samples")
    void eachSampleReportsAlikeOnOneTwoAndThreeThreads(String sample) {
        Path p = Path.of("../sample-traces/" + sample);
        assertAlikeOnEveryThreadCount(new TraceSource(p.toString(), () -> TraceFiles.open(p)));
    }

    /** Every event kind the generator makes, from every workload, 60,000 events: many batches. */
    @Test
    void aGeneratedTraceReportsAlikeOnOneTwoAndThreeThreads() {
        WorkloadGenerator g = new WorkloadGenerator(
                new GeneratorSettings(Workload.MIXED, 3, 60_000, dev.mmutrace.trace.PagingMode.FOUR_LEVEL, 4));
        List<TraceEvent> events = new ArrayList<>();
        g.forEachRemaining(events::add);
        assertAlikeOnEveryThreadCount(new TraceSource("mixed",
                () -> dev.mmutrace.fixture.SampleEvents.reader("mixed", g.header(), events)));
    }

    private static void assertAlikeOnEveryThreadCount(TraceSource source) {
        ModelOptions options = ModelOptions.DEFAULTS;
        TraceReport one = new BatchReplay(ALL, options, CostTable.DEFAULTS, 0).replay(source);
        for (int threads = 2; threads <= 3; threads++) {
            TraceReader reader = source.open().get();
            TraceAnalyzer analyzer = TraceAnalyzer.of(source.path(), reader.header(), ALL, CostTable.DEFAULTS, 0);
            ModelThreads.replay(reader, ModelThreads.groups(ALL, threads), options, analyzer, NO_PROGRESS);
            assertThat(analyzer.report()).as("%s on %d threads", source.path(), threads).isEqualTo(one);
        }
    }

    private static List<List<String>> names(List<List<ModelFactory>> groups) {
        List<List<String>> names = new ArrayList<>();
        groups.forEach(g -> names.add(g.stream().map(ModelFactory::name).toList()));
        return names;
    }

    private static ModelFactory fake(String name, double cost) {
        return new ModelFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public MemoryModel create(ReplayContext context, ObservationSink sink, ModelOptions options) {
                throw new UnsupportedOperationException("only split, never made");
            }

            @Override
            public double costPerEvent() {
                return cost;
            }
        };
    }
}
