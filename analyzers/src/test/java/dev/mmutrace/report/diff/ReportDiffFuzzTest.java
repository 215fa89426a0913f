package dev.mmutrace.report.diff;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mmutrace.trace.Refusals;
import dev.mmutrace.trace.TraceInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the JSON report reader of {@code mmutrace diff} (docs/reliability.md, Fuzzing). For any
 * bytes in a report file: reading either gives the report's metrics or stops with a
 * {@link TraceInputException} whose message is one line quoting at most 80 characters; a
 * report that reads, compared with itself under the default thresholds, changes nothing and
 * leaves nothing unmatched; and compared with a fixed whole-trace report it is refused the same
 * way (a window, say) or gives a diff that renders as text, markdown and HTML. Plain
 * {@code mvn verify} runs the saved inputs under {@code ReportDiffFuzzTestInputs}.
 */
class ReportDiffFuzzTest {
    @TempDir
    static Path dir;

    @FuzzTest
    @DictionaryEntries({"{\"format\": \"mmutrace-report/1\", ", "\"reports\": [", "\"trace\": {\"path\": \"",
        "\"models\": {", "\"xen\": {", "\"flushes\": {\"wasted\": ", "\"estimated_cycles\": ", "9223372036854775807",
        "-9223372036854775808", "1e300", "null", "true", "\"window\": {\"bounds\": \"", "\"warm\": true",
        "\"series\": {\"interval\": 4, \"buckets\": [{\"first_event\": 0, \"wasted_flushes\": "})
    void readsOrRefuses(byte[] data) throws IOException {
        Path report = Files.write(dir.resolve("fuzz.json"), data);
        Path base = dir.resolve("base.json");
        if (!Files.exists(base)) {
            Files.writeString(base, BASE);
        }
        DiffResult self;
        DiffResult against;
        try {
            ReportDiff.read(report);
            self = ReportDiff.compare(report, report, ReportDiff.thresholds(List.of(), true));
            against = ReportDiff.compare(base, report, ReportDiff.thresholds(List.of(), true));
        } catch (TraceInputException refusal) {
            Refusals.check(refusal, data);
            return;
        }
        if (!self.changes().isEmpty() || !self.unmatched().isEmpty()) {
            throw new AssertionError("a report differs from itself: " + self.changes() + " " + self.unmatched());
        }
        DiffRender.text(against);
        DiffRender.markdown(against);
        DiffHtml.write(against);
    }

    /** One trace, the whole of it, xen with a few figures and a series: what a fuzzed report meets. */
    private static final String BASE = """
            {"format": "mmutrace-report/1", "trace": {"path": "boot.csv", "events": 12},
             "models": {"xen": {"flushes": {"total": 10, "wasted": 6},
               "validation_failures": {"total": 1, "first": [{"event": 3, "cpu": 0, "reason": "bad_l1_flags"}]},
               "series": {"interval": 4, "buckets": [{"first_event": 0, "wasted_flushes": 2},
                 {"first_event": 4, "wasted_flushes": 2}, {"first_event": 8, "wasted_flushes": 2}]}}}}
            """;
}
