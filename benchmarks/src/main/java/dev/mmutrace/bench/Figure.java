package dev.mmutrace.bench;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One measured number of a bench run: what it is, its value and unit, the target it is held to
 * (none for figures shown only to explain another, such as the two rates behind a ratio), and
 * how it was obtained in a few words.
 */
public record Figure(String name, double value, String unit, Optional<Target> target, String how) {

    public Figure {
        requireNonNull(name, "name");
        requireNonNull(unit, "unit");
        requireNonNull(target, "target");
        requireNonNull(how, "how");
    }

    public static Figure held(String name, double value, String unit, double atLeast, String how) {
        return new Figure(name, value, unit, Optional.of(new Target(atLeast)), how);
    }

    public static Figure shown(String name, double value, String unit, String how) {
        return new Figure(name, value, unit, Optional.empty(), how);
    }

    /** True when the figure has no target, or reaches it. */
    public boolean passes() {
        return target.map(t -> t.metBy(value)).orElse(true);
    }
}
