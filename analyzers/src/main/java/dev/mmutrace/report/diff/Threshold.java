package dev.mmutrace.report.diff;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a change of a metric is a regression: {@code METRIC=+5%} (up by more than 5%),
 * {@code METRIC=+0} (up at all), {@code METRIC=+100} (up by more than 100), {@code METRIC=-10%}
 * (down by more than 10%). {@code METRIC} is a key path under a model of the JSON report
 * ({@code flushes.wasted}), optionally with a model ({@code xen:estimated_cycles}); {@code *}
 * stands for one path segment ({@code validation_failures.by_reason.*}).
 */
public record Threshold(String model, String metric, boolean up, double amount, boolean percent) {
    private static final Pattern SYNTAX = Pattern.compile(
            "(?:([A-Za-z0-9_.-]+):)?([A-Za-z0-9_.*:-]+)=([+-])([0-9]+(?:\\.[0-9]+)?)(%?)");

    /** The defaults of docs/diff.md: any new failure or missed flush; wasted flushes, exits and cycles up 5%. */
    public static final List<Threshold> DEFAULTS = List.of(
            parse("validation_failures.total=+0"),
            parse("flushes.missed=+0"),
            parse("flushes.wasted=+5%"),
            parse("exits.total=+5%"),
            parse("estimated_cycles=+5%"));

    public static Threshold parse(String text) {
        Matcher m = SYNTAX.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("bad threshold '" + text
                    + "': expected METRIC=+N, METRIC=+N% or METRIC=-N% (e.g. flushes.wasted=+5%)");
        }
        return new Threshold(m.group(1) == null ? "" : m.group(1), m.group(2), m.group(3).equals("+"),
                Double.parseDouble(m.group(4)), !m.group(5).isEmpty());
    }

    /** Whether this threshold is about {@code metric} of {@code model}. */
    public boolean covers(String forModel, String forMetric) {
        if (!model.isEmpty() && !model.equals(forModel)) {
            return false;
        }
        String[] p = metric.split("\\.");
        String[] k = forMetric.split("\\.");
        if (p.length != k.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (!p[i].equals("*") && !p[i].equals(k[i])) {
                return false;
            }
        }
        return true;
    }

    /** Whether going from {@code base} to {@code next} crosses this threshold. */
    public boolean crossedBy(long base, long next) {
        long delta = up ? next - base : base - next;
        if (delta <= 0) {
            return false;
        }
        if (!percent) {
            return delta > amount;
        }
        // From zero any increase is an infinite relative change.
        return base == 0 || delta * 100.0 / Math.abs(base) > amount;
    }

    /**
     * The first of {@code thresholds} that going from {@code base} to {@code next} crosses for
     * {@code metric} of {@code model}. A threshold naming the model replaces, for its direction,
     * those for every model ({@code xen:flushes.wasted=+50%} replaces {@code flushes.wasted=+5%}
     * for xen only), so a looser threshold for one model is not undercut by the default.
     */
    static Optional<Threshold> crossed(List<Threshold> thresholds, String model, String metric, long base,
            long next) {
        List<Threshold> covering = thresholds.stream().filter(t -> t.covers(model, metric)).toList();
        return covering.stream()
                .filter(t -> !t.model.isEmpty() || covering.stream().noneMatch(s -> !s.model.isEmpty() && s.up == t.up))
                .filter(t -> t.crossedBy(base, next))
                .findFirst();
    }

    /** Same metric and model: a user's threshold replaces the default for it. */
    boolean sameTarget(Threshold other) {
        return model.equals(other.model) && metric.equals(other.metric) && up == other.up;
    }

    @Override
    public String toString() {
        String amountText = amount == Math.rint(amount) ? Long.toString((long) amount)
                : String.format(Locale.ROOT, "%s", amount);
        return (model.isEmpty() ? "" : model + ":") + metric + "=" + (up ? "+" : "-") + amountText
                + (percent ? "%" : "");
    }
}
