package dev.mmutrace.bench;

import java.util.List;
import java.util.function.Function;

/**
 * One measurement of the bench (mmutrace-bench.jar): runs over the generated inputs and gives its
 * figures. Work timed inside the bench's own JVM is {@link #of}; commands timed as whole
 * processes are {@link ProcessFigures}.
 */
public interface Measurement {

    /** A short title printed above the figures. */
    String title();

    List<Figure> run(BenchInputs inputs);

    /** A measurement of work done in this JVM: {@code figures} times it and gives its figures. */
    static Measurement of(String title, Function<BenchInputs, List<Figure>> figures) {
        return new InJvm(title, figures);
    }

    /** What {@link #of} makes. */
    record InJvm(String title, Function<BenchInputs, List<Figure>> figures) implements Measurement {
        @Override
        public List<Figure> run(BenchInputs inputs) {
            return figures.apply(inputs);
        }
    }
}
