package dev.mmutrace.report.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.mmutrace.report.ReportJson;
import dev.mmutrace.trace.TraceInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * Compares two JSON reports (single or batch) metric by metric. Traces are matched by path; those
 * left unmatched on both sides are paired in input order (the same traces replayed from another
 * directory). A metric is any number under a model, by key path; lists (the first failures, the
 * time series, the remarks) are not metrics.
 */
public final class ReportDiff {
    private ReportDiff() {
    }

    /**
     * Paths under a model that are not metrics: the lists (the first failures and missed flushes,
     * the time series, the remarks) and lguest's kill reason, the one text value of a report
     * (docs/report-format.md). Any other value under a model must be a whole number: a string or a
     * fraction where a count belongs is a broken report, never a 0.
     */
    private static final Set<String> NOT_METRICS = Set.of("validation_failures.first", "flushes.missed_first",
            "series.buckets", "remarks", "shadow.kill_reason");

    /**
     * One trace of a report: model -> metric -> value, each model's evidence, and the part of the
     * trace its figures count.
     */
    record TraceRead(Map<String, Map<String, Long>> metrics, ImmutableMap<String, ModelEvidence> evidence,
            Coverage covers) {
    }

    /**
     * The part of a trace a report's figures count: the whole trace, or a window named by its
     * options as given (with --warm or not), not by its event numbers, since the same --from-time
     * picks other events in another build's trace. Compared whole; quoted short only when shown.
     */
    record Coverage(Optional<String> bounds, boolean warm) {
        static final Coverage WHOLE_TRACE = new Coverage(Optional.empty(), false);

        /** Read fail-closed, as every value the verdict rests on: a window not as replay writes it is refused. */
        static Coverage of(Path file, JsonNode window) {
            if (window.isMissingNode()) {
                return WHOLE_TRACE;
            }
            if (!window.isObject() || !window.path("bounds").isTextual() || !window.path("warm").isBoolean()) {
                throw TraceInputException.ofFile(file.toString(),
                        "'trace.window' must hold 'bounds' (a string) and 'warm' (true or false), as replay writes it");
            }
            return new Coverage(Optional.of(window.get("bounds").asText()), window.get("warm").asBoolean());
        }

        String described() {
            return bounds.map(b -> "window " + TraceInputException.quote(b) + (warm ? " with --warm" : ""))
                    .orElse("the whole trace");
        }
    }

    /** One report file as trace path -> its trace, traces in file order. */
    static Map<String, TraceRead> read(Path file) {
        JsonNode root = ReportJson.readTree(file);
        Map<String, TraceRead> traces = new LinkedHashMap<>();
        if (root.has("reports")) {
            if (!root.get("reports").isArray()) {
                throw TraceInputException.ofFile(file.toString(), "'reports' must be a list of reports");
            }
            for (JsonNode r : root.get("reports")) {
                add(file, r, traces);
            }
        } else {
            add(file, root, traces);
        }
        return traces;
    }

    private static void add(Path file, JsonNode report, Map<String, TraceRead> into) {
        JsonNode models = report.get("models");
        String path = report.path("trace").path("path").asText("");
        if (models == null || !models.isObject() || path.isEmpty()) {
            throw TraceInputException.ofFile(file.toString(), "a report without 'trace.path' or 'models'");
        }
        Map<String, Map<String, Long>> byModel = new TreeMap<>();
        ImmutableMap.Builder<String, ModelEvidence> evidence = ImmutableMap.builder();
        long events = report.path("trace").path("events").asLong();
        for (Iterator<Map.Entry<String, JsonNode>> it = models.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> m = it.next();
            String modelPath = "models." + m.getKey() + ".";
            Map<String, Long> metrics = new TreeMap<>();
            flatten(m.getValue(), "", metrics, (prefix, value) -> {
                if (!NOT_METRICS.contains(prefix)) {
                    String why = value.isIntegralNumber() ? "a whole number within 64 bits" : "a whole number";
                    // the key path is the file's own text too: quoted short like the value
                    throw TraceInputException.ofFile(file.toString(), TraceInputException.quote(modelPath + prefix)
                            + " must be " + why + ", got " + TraceInputException.quote(value.toString()));
                }
            });
            byModel.put(m.getKey(), metrics);
            evidence.put(m.getKey(), ModelEvidence.of(m.getValue(), events));
        }
        String key = path;
        for (int n = 2; into.containsKey(key); n++) {
            key = path + " #" + n;
        }
        into.put(key, new TraceRead(byModel, evidence.buildKeepingLast(), Coverage.of(file, report.path("trace").path("window"))));
    }


    /**
     * The metrics of one model's object of a report (or of a row shaped like one): every integer
     * by its key path, lists left out.
     */
    public static Map<String, Long> metrics(JsonNode model) {
        Map<String, Long> metrics = new TreeMap<>();
        flatten(model, "", metrics, (prefix, value) -> {
        });
        return metrics;
    }

    /**
     * Every whole number within 64 bits under {@code node} into {@code into} by key path; every other
     * value that is not an object (a list, a string, a fraction, a number too large) to {@code other}.
     */
    private static void flatten(JsonNode node, String prefix, Map<String, Long> into,
            BiConsumer<String, JsonNode> other) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(e.getValue(), prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), into, other);
            }
        } else if (node.isIntegralNumber() && node.canConvertToLong()) {
            into.put(prefix, node.longValue());
        } else {
            other.accept(prefix, node);
        }
    }

    /**
     * Compares two reports under the default thresholds (unless {@code withDefaults} is false)
     * and the user's; a user threshold whose model or metric is in neither report is refused
     * (a typo must not make a gate that always passes).
     */
    public static DiffResult compare(Path base, Path next, List<Threshold> user, boolean withDefaults) {
        Map<String, TraceRead> a = read(base);
        Map<String, TraceRead> b = read(next);
        KnownMetrics known = new KnownMetrics();
        known.addAll(countsOf(a));
        known.addAll(countsOf(b));
        user.forEach(known::check);
        return compareRead(base.toString(), a, next.toString(), b, thresholds(user, withDefaults));
    }

    /**
     * The thresholds in force: the defaults (unless {@code withDefaults} is false), each replaced
     * by a user threshold for the same metric and direction, plus the user's others.
     */
    public static ImmutableList<Threshold> thresholds(List<Threshold> user, boolean withDefaults) {
        ImmutableList.Builder<Threshold> b = ImmutableList.builder();
        if (withDefaults) {
            for (Threshold d : Threshold.DEFAULTS) {
                if (user.stream().noneMatch(u -> u.sameTarget(d))) {
                    b.add(d);
                }
            }
        }
        return b.addAll(user).build();
    }

    public static DiffResult compare(Path base, Path next, List<Threshold> thresholds) {
        return compareRead(base.toString(), read(base), next.toString(), read(next), thresholds);
    }

    /**
     * Compares metrics already read: trace -> model -> metric -> value on each side, traces in
     * order (a corpus run's table). {@code base} and {@code next} name the two sides. There is no
     * evidence beyond the counts then (no first events, no series).
     */
    public static DiffResult compare(String base, Map<String, Map<String, Map<String, Long>>> a, String next,
            Map<String, Map<String, Map<String, Long>>> b, List<Threshold> thresholds) {
        return compareRead(base, countsOnly(a), next, countsOnly(b), thresholds);
    }

    private static Map<String, Map<String, Map<String, Long>>> countsOf(Map<String, TraceRead> traces) {
        Map<String, Map<String, Map<String, Long>>> counts = new LinkedHashMap<>();
        traces.forEach((trace, read) -> counts.put(trace, read.metrics()));
        return counts;
    }

    private static Map<String, TraceRead> countsOnly(Map<String, Map<String, Map<String, Long>>> traces) {
        Map<String, TraceRead> read = new LinkedHashMap<>();
        traces.forEach((trace, models) -> read.put(trace, new TraceRead(models, ImmutableMap.of(), Coverage.WHOLE_TRACE)));
        return read;
    }

    private static DiffResult compareRead(String base, Map<String, TraceRead> a, String next,
            Map<String, TraceRead> b, List<Threshold> thresholds) {
        List<String> onlyA = new ArrayList<>();
        List<String> onlyB = new ArrayList<>();
        a.keySet().stream().filter(k -> !b.containsKey(k)).forEach(onlyA::add);
        b.keySet().stream().filter(k -> !a.containsKey(k)).forEach(onlyB::add);
        List<String[]> pairs = new ArrayList<>();
        for (String k : a.keySet()) {
            if (b.containsKey(k)) {
                pairs.add(new String[] {k, k, k});
            }
        }
        int paired = Math.min(onlyA.size(), onlyB.size());
        for (int i = 0; i < paired; i++) {
            String name = onlyA.get(i).equals(onlyB.get(i)) ? onlyA.get(i) : onlyA.get(i) + " -> " + onlyB.get(i);
            pairs.add(new String[] {onlyA.get(i), onlyB.get(i), name});
        }
        ImmutableList.Builder<String> unmatched = ImmutableList.builder();
        onlyA.subList(paired, onlyA.size()).forEach(t -> unmatched.add("trace only in " + base + ": " + t));
        onlyB.subList(paired, onlyB.size()).forEach(t -> unmatched.add("trace only in " + next + ": " + t));
        ImmutableList.Builder<MetricChange> changes = ImmutableList.builder();
        ImmutableMap.Builder<String, TraceEvidence> evidence = ImmutableMap.builder();
        for (String[] p : pairs) {
            checkSameCoverage(p[2], base, a.get(p[0]).covers(), next, b.get(p[1]).covers());
            compareTrace(p[2], a.get(p[0]).metrics(), b.get(p[1]).metrics(), thresholds, changes, unmatched);
            evidence.put(p[2], new TraceEvidence(a.get(p[0]).evidence(), b.get(p[1]).evidence()));
        }
        return new DiffResult(base, next, changes.build(), unmatched.build(), ImmutableList.copyOf(thresholds),
                evidence.buildKeepingLast());
    }

    /**
     * Figures of two different windows (or of a window and the whole trace) differ because they
     * count different events, not because the code changed: a gate must not pass or fail on that.
     */
    private static void checkSameCoverage(String trace, String base, Coverage baseCovers, String next,
            Coverage nextCovers) {
        if (!baseCovers.equals(nextCovers)) {
            throw TraceInputException.ofFile(next, "trace " + TraceInputException.quote(trace) + " covers "
                    + nextCovers.described() + " here but " + baseCovers.described() + " in " + base
                    + ": figures of different windows do not compare");
        }
    }

    private static void compareTrace(String trace, Map<String, Map<String, Long>> a, Map<String, Map<String, Long>> b,
            List<Threshold> thresholds, ImmutableList.Builder<MetricChange> changes,
            ImmutableList.Builder<String> unmatched) {
        TreeSet<String> models = new TreeSet<>(a.keySet());
        models.addAll(b.keySet());
        for (String model : models) {
            if (!a.containsKey(model) || !b.containsKey(model)) {
                unmatched.add("model " + model + " of " + trace + " only in the "
                        + (a.containsKey(model) ? "base" : "new") + " report");
                continue;
            }
            Map<String, Long> ma = a.get(model);
            Map<String, Long> mb = b.get(model);
            TreeSet<String> metrics = new TreeSet<>(ma.keySet());
            metrics.addAll(mb.keySet());
            for (String metric : metrics) {
                long va = ma.getOrDefault(metric, 0L);
                long vb = mb.getOrDefault(metric, 0L);
                if (va == vb) {
                    continue;
                }
                Optional<Threshold> crossed = Threshold.crossed(thresholds, model, metric, va, vb);
                changes.add(new MetricChange(trace, model, metric, va, vb, crossed));
            }
        }
    }
}
