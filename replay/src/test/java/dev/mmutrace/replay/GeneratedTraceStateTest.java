package dev.mmutrace.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import dev.mmutrace.replay.observe.Observation;
import dev.mmutrace.replay.observe.UnknownStateWalk;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.generate.GeneratorSettings;
import dev.mmutrace.trace.generate.Workload;
import dev.mmutrace.trace.generate.WorkloadGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPEC §2.2: synthetic traces start from empty memory and have no unknown state. Every workload
 * in every mode it supports, replayed through every model, walks into no unknown slot.
 */
class GeneratedTraceStateTest {
    static Stream<Arguments> workloadsAndModes() {
        List<Arguments> all = new ArrayList<>();
        for (Workload w : Workload.values()) {
            for (PagingMode m : PagingMode.values()) {
                // kmap-churn is a 32-bit workload (highmem): the generator refuses 4level
                if (w != Workload.KMAP_CHURN || m != PagingMode.FOUR_LEVEL) {
                    all.add(Arguments.of(w, m));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("workloadsAndModes")
    void generatedTraceHasNoUnknownStateWalk(Workload workload, PagingMode mode) {
        WorkloadGenerator g = new WorkloadGenerator(new GeneratorSettings(workload, 7, 5_000, mode, 2));
        List<String> unknown = new ArrayList<>();
        ReplayEngine engine = new ReplayEngine(g.header(), ImmutableList.copyOf(Models.available().values()),
                ModelOptions.DEFAULTS, new ReplayListener() {
                    @Override
                    public void onObservation(String model, Observation o) {
                        if (o instanceof UnknownStateWalk u) {
                            unknown.add(model + ": " + u);
                        }
                    }
                });
        long events = engine.run(g);
        assertThat(events).isPositive();
        assertThat(unknown).isEmpty();
    }
}
