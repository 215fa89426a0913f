package dev.mmutrace.report.diff;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Two small hand-made reports of one 12-event trace, buckets of 4 events (first events 0, 4, 8),
 * whose differences are worked out by hand:
 *
 * <ul>
 * <li>xen: validation failures 1 -> 3 (by reason: bad_l1_flags 1 -> 1, bad_l2_flags 0 -> 2); per
 *     bucket base [1, 0, 0], new [1, 0, 2]; first failures base {3}, new {3, 9, 10}: 9 and 10 are
 *     new. A regression by the default validation_failures.total=+0.
 * <li>native: missed flushes 0 -> 1 (used_stale 0 -> 1); per bucket base [0, 0, 0], new [0, 1, 0];
 *     first missed flushes new {7 on vCPU 1 at 0x400000}. A regression by flushes.missed=+0.
 * <li>xen wasted flushes 6 on both sides: no change.
 * </ul>
 *
 * So 4 metrics changed (the two totals and the two by-reason or by-why splits), 2 of them regressions.
 */
final class DiffFixtures {
    private DiffFixtures() {
    }

    static Path base(Path dir) throws IOException {
        return write(dir.resolve("base.json"), 1, "", "[1, 0, 0]", 0, "", "[0, 0, 0]", "");
    }

    static Path next(Path dir) throws IOException {
        return write(dir.resolve("new.json"), 3, ", \"bad_l2_flags\": 2", "[1, 0, 2]", 1, "\"used_stale\": 1",
                "[0, 1, 0]", """
                        ,
                        {"event": 9, "cpu": 1, "reason": "bad_l2_flags", "message": "Bad L2 flags 80"},
                        {"event": 10, "cpu": 1, "reason": "bad_l2_flags", "message": "Bad L2 flags 80"}""");
    }

    private static Path write(Path p, long failures, String byReason, String failureSeries, long missed,
            String missedBy, String missedSeries, String moreFailures) throws IOException {
        String missedFirst = missed == 0 ? "[]"
                : "[{\"event\": 7, \"cpu\": 1, \"vaddr\": \"0x400000\", \"why\": \"used_stale\"}]";
        String json = """
                {
                  "format": "mmutrace-report/1",
                  "trace": {"path": "boot.csv", "events": 12},
                  "models": {
                    "native": {
                      "flushes": {"total": 4, "wasted": 2, "missed": %d, "missed_by": {%s}, "missed_first": %s},
                      "validation_failures": {"total": 0, "by_reason": {}, "first": []},
                      "series": {"interval": 4, "buckets": %s}
                    },
                    "xen": {
                      "flushes": {"total": 10, "wasted": 6, "missed": 0, "missed_by": {}, "missed_first": []},
                      "validation_failures": {"total": %d, "by_reason": {"bad_l1_flags": 1%s},
                        "first": [{"event": 3, "cpu": 0, "reason": "bad_l1_flags", "message": "Bad L1 flags 80"}%s]},
                      "series": {"interval": 4, "buckets": %s}
                    }
                  }
                }
                """.formatted(missed, missedBy, missedFirst, buckets("missed_flushes", missedSeries), failures,
                byReason, moreFailures, buckets("validation_failures", failureSeries));
        Files.writeString(p, json);
        return p;
    }

    /** Three buckets at events 0, 4, 8 with {@code column} as given and 2 wasted flushes each. */
    private static String buckets(String column, String values) {
        String[] v = values.replaceAll("[\\[\\] ]", "").split(",");
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < 3; i++) {
            b.append(i == 0 ? "" : ", ").append("{\"first_event\": ").append(4 * i).append(", \"wasted_flushes\": 2, \"")
                    .append(column).append("\": ").append(v[i]).append('}');
        }
        return b.append(']').toString();
    }
}
