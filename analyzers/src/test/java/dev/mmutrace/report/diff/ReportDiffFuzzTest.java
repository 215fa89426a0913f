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
 * {@link TraceInputException} whose message is one line quoting at most 80 characters; and a
 * report that reads, compared with itself under the default thresholds, changes nothing and
 * leaves nothing unmatched. Plain {@code mvn verify} runs the saved inputs under
 * {@code ReportDiffFuzzTestInputs}.
 */
class ReportDiffFuzzTest {
    @TempDir
    static Path dir;

    @FuzzTest
    @DictionaryEntries({"{\"format\": \"mmutrace-report/1\", ", "\"reports\": [", "\"trace\": {\"path\": \"",
        "\"models\": {", "\"xen\": {", "\"flushes\": {\"wasted\": ", "\"estimated_cycles\": ", "9223372036854775807",
        "-9223372036854775808", "1e300", "null", "true"})
    void readsOrRefuses(byte[] data) throws IOException {
        Path report = Files.write(dir.resolve("fuzz.json"), data);
        DiffResult self;
        try {
            ReportDiff.read(report);
            self = ReportDiff.compare(report, report, ReportDiff.thresholds(List.of(), true));
        } catch (TraceInputException refusal) {
            Refusals.check(refusal, data);
            return;
        }
        if (!self.changes().isEmpty() || !self.unmatched().isEmpty()) {
            throw new AssertionError("a report differs from itself: " + self.changes() + " " + self.unmatched());
        }
    }
}
