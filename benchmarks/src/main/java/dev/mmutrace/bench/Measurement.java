package dev.mmutrace.bench;

import java.util.List;
import java.util.function.Function;

/**
 * One measurement of the bench (mmutrace-bench.jar): runs over the generated inputs and gives its
 * figures, with the machine probe's readings behind those timed in child JVMs. Work timed inside
 * the bench's own JVM is {@link #of}, work timed in child JVMs with the probe beside it
 * {@link #probed}; commands timed as whole processes are {@link ProcessFigures}.
 */
public interface Measurement {

    /** A short title printed above the figures. */
    String title();

    Measured run(BenchInputs inputs);

    /** A measurement with no machine probe behind its figures: {@code figures} times the work and gives them. */
    static Measurement of(String title, Function<BenchInputs, List<Figure>> figures) {
        return new InJvm(title, inputs -> Measured.of(figures.apply(inputs)));
    }

    /** A measurement timed in child JVMs ({@link TimedChildren}): its figures and the machine probe's readings. */
    static Measurement probed(String title, Function<BenchInputs, Measured> measured) {
        return new InJvm(title, measured);
    }

    /** What {@link #of} and {@link #probed} make. */
    record InJvm(String title, Function<BenchInputs, Measured> measured) implements Measurement {
        @Override
        public Measured run(BenchInputs inputs) {
            return measured.apply(inputs);
        }
    }
}
