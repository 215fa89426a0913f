package dev.mmutrace.bench;

import java.util.List;

/** The CSV reader alone over the main trace's events written as CSV. */
final class CsvDecode {
    static final double TARGET = 1_500_000;

    private CsvDecode() {
    }

    static List<Figure> figures(BenchInputs inputs) {
        long rows = inputs.settings().events();
        double seconds = inputs.settings().timing().medianSeconds(() -> Replays.decode(inputs.csv()));
        return List.of(Figure.held("CSV decode", rows / seconds, "rows/s", TARGET,
                "TraceFiles.open + next() over " + rows + " rows"));
    }
}
