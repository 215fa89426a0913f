package dev.mmutrace.replay;

import dev.mmutrace.replay.observe.ObservationSink;
import java.util.List;

/**
 * Makes one model for one replay. Factories are found with {@link java.util.ServiceLoader}, so a
 * new hypervisor model is a new class and one line in {@code META-INF/services}: nothing else in
 * the project changes.
 */
public interface ModelFactory {

    /** The name users select the model by, and the name in reports. */
    String name();

    /**
     * Where tables and charts place the model among others, lowest first (the bare-metal baseline
     * at 0); models of equal rank by name. JSON keeps name order.
     */
    default int reportRank() {
        return Integer.MAX_VALUE;
    }

    /**
     * One line saying what the model stands for, for {@code mmutrace replay --help}, which lists
     * the models of the build as this interface finds them; empty says nothing beyond the name.
     */
    default String description() {
        return "";
    }

    MemoryModel create(ReplayContext context, ObservationSink sink, ModelOptions options);

    /**
     * The counters of the model's own work ({@link dev.mmutrace.replay.observe.Work}), in the
     * order reports list them; none by default. A counter not declared here is an error.
     */
    default List<WorkCounter> counters() {
        return List.of();
    }

    /**
     * Every setting the model reads from {@link ModelOptions#settings()}, each key starting with
     * {@link #name()} and a dot; a key not listed here is refused before any replay.
     */
    default List<ModelSetting> settings() {
        return List.of();
    }

    /**
     * About what the model costs per event, in nanoseconds of one core with its analyzer, on the
     * bench's workload (docs/performance.md): only the ratios between models matter. A replay
     * that puts the models of one trace on several threads uses it to give each thread a like
     * share of the work; it changes no result.
     */
    default double costPerEvent() {
        return 50;
    }
}
