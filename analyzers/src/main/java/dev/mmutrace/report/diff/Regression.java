package dev.mmutrace.report.diff;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A crossed threshold with what shows its cause: for a validation failure or a missed flush, the
 * new report's first events of that kind, each marked new when the base report's list does not
 * have it. Shared by the Markdown and HTML renderings, which put these at the top.
 */
record Regression(MetricChange change, Optional<Cause> cause) {

    /** The first events of one kind in the new report; {@code kind} names the list for a reader. */
    record Cause(String trace, String model, String kind, ImmutableList<Row> rows) {
    }

    /** One first event, and whether the base report's first-N list had the same one. */
    record Row(FirstEvent event, boolean inBase) {
    }

    static List<Regression> of(DiffResult d) {
        List<Regression> out = new ArrayList<>();
        for (MetricChange c : d.regressed()) {
            out.add(new Regression(c, cause(d, c)));
        }
        return out;
    }

    /** Each cause once, though several metrics (total, by reason) point at the same list. */
    static List<Cause> causes(List<Regression> regressions) {
        Map<String, Cause> once = new LinkedHashMap<>();
        for (Regression r : regressions) {
            r.cause().ifPresent(c -> once.putIfAbsent(c.trace() + "\u0000" + c.model() + "\u0000" + c.kind(), c));
        }
        return List.copyOf(once.values());
    }

    private static Optional<Cause> cause(DiffResult d, MetricChange c) {
        TraceEvidence e = d.evidenceOf(c);
        Optional<ImmutableList<FirstEvent>> now = e.next(c.model()).firstEventsOf(c.metric());
        if (now.isEmpty()) {
            return Optional.empty();
        }
        ImmutableList<FirstEvent> before = e.base(c.model()).firstEventsOf(c.metric()).orElse(ImmutableList.of());
        ImmutableList.Builder<Row> rows = ImmutableList.builder();
        for (FirstEvent f : now.get()) {
            rows.add(new Row(f, before.stream().anyMatch(f::sameAs)));
        }
        boolean failures = c.metric().startsWith("validation_failures.");
        return Optional.of(new Cause(c.trace(), c.model(), failures ? "validation failures" : "missed flushes",
                rows.build()));
    }
}
