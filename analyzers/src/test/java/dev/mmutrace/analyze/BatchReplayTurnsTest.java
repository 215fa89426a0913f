package dev.mmutrace.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.mmutrace.replay.ModelFactory;
import dev.mmutrace.replay.ModelOptions;
import dev.mmutrace.replay.Models;
import dev.mmutrace.report.ReportBatch;
import dev.mmutrace.report.ReportJson;
import dev.mmutrace.report.ReportOptions;
import dev.mmutrace.report.TraceReport;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.TraceWriter;
import dev.mmutrace.trace.generate.GeneratorSettings;
import dev.mmutrace.trace.generate.Workload;
import dev.mmutrace.trace.generate.WorkloadGenerator;
import dev.mmutrace.trace.io.TraceFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traces longer than a slice, taking turns on fewer threads than traces (so each moves between
 * threads many times), give the reports of one thread byte for byte.
 */
class BatchReplayTurnsTest {
    private static final List<ModelFactory> ALL = List.copyOf(Models.available().values());

    @TempDir
    Path dir;

    private static String json(List<TraceSource> sources, int jobs) {
        ImmutableList<TraceReport> reports = new BatchReplay(ALL, ModelOptions.DEFAULTS, CostTable.defaults(), 0)
                .replayAll(sources, jobs);
        return ReportJson.write(new ReportBatch(new ReportOptions(0, 0,
                ImmutableList.sortedCopyOf(ALL.stream().map(ModelFactory::name).toList()), ImmutableSortedMap.of()),
                CostTable.defaults(), reports));
    }

    @Test
    void tracesTakingTurnsReportAsOnOneThread() {
        List<TraceSource> sources = new ArrayList<>();
        // three traces of 1.5 to 2.5 slices each, different workloads and seeds
        Workload[] workloads = {Workload.FORK_EXEC_EXIT, Workload.MIXED, Workload.FORK_EXEC_EXIT};
        for (int i = 0; i < workloads.length; i++) {
            Path p = dir.resolve("t" + i + ".mmtrace");
            WorkloadGenerator g = new WorkloadGenerator(new GeneratorSettings(workloads[i], 5 + i,
                    (int) (TraceTurns.SLICE_EVENTS * 3 / 2 + i * TraceTurns.SLICE_EVENTS / 2), PagingMode.FOUR_LEVEL, 2));
            try (TraceWriter w = TraceFiles.create(p, g.header())) {
                g.forEachRemaining(w::write);
            }
            sources.add(new TraceSource(p.toString(), () -> TraceFiles.open(p)));
        }
        String oneThread = json(sources, 1);

        assertThat(json(sources, 2)).isEqualTo(oneThread);
        assertThat(json(sources, 3)).isEqualTo(oneThread);
        assertThat(oneThread).contains("\"events\": " + TraceTurns.SLICE_EVENTS * 3 / 2,
                "\"events\": " + (TraceTurns.SLICE_EVENTS * 5 / 2));
    }
}
