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
import dev.mmutrace.trace.io.TraceFiles;
import dev.mmutrace.trace.window.TraceWindow;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A window replays alike on every path a replay can take: one thread, its decoding read ahead,
 * or its models split over threads (each engine numbering and gating the events itself).
 */
class WindowReplayTest {
    private static final List<ModelFactory> ALL = List.copyOf(Models.available().values());
    private static final Path SAMPLE = Path.of("../sample-traces/mmap-munmap-4level.csv");

    private static String json(TraceSource source, int jobs) {
        ImmutableList<TraceReport> reports = new BatchReplay(ALL, ModelOptions.DEFAULTS, CostTable.defaults(), 0)
                .replayAll(List.of(source), jobs);
        return ReportJson.write(new ReportBatch(new ReportOptions(0, 0,
                ImmutableList.sortedCopyOf(ALL.stream().map(ModelFactory::name).toList()), ImmutableSortedMap.of()),
                CostTable.defaults(), reports));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aWindowReportsAlikeOnOneThreadAndWithItsModelsApart(boolean warm) {
        TraceWindow window = new TraceWindow(TraceWindow.By.EVENT, 100, 301, "--from-event 100 --to-event 300");
        // a path that is not a regular file counts as large: its models then go to threads of their own
        TraceSource apart = new TraceSource("not-a-file", () -> TraceFiles.open(SAMPLE),
                Optional.of(new WindowRun(window, warm)));
        String oneThread = json(apart, 1);
        assertThat(json(apart, 2)).isEqualTo(oneThread);
        assertThat(json(apart, 3)).isEqualTo(oneThread);
        assertThat(oneThread).contains("\"first_event\": 100", "\"last_event\": 300", "\"events\": 201");
    }
}
