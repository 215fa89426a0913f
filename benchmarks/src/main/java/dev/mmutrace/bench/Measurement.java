package dev.mmutrace.bench;

import java.util.List;

/** One measurement of the bench (mmutrace-bench.jar): runs over the generated inputs and gives its figures. */
public interface Measurement {

    /** A short title printed above the figures. */
    String title();

    List<Figure> run(BenchInputs inputs);
}
