package dev.mmutrace.cli;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedMap;
import dev.mmutrace.analyze.CostTable;
import dev.mmutrace.replay.ModelFactory;
import dev.mmutrace.replay.ModelOptions;
import dev.mmutrace.replay.ModelSetting;
import dev.mmutrace.replay.Models;
import dev.mmutrace.replay.ReplayEngine;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.io.InputFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a replay runs with, as a command line chooses it: the models ({@code --model}), their
 * settings ({@code --set}) and the cost table ({@code --costs}). {@code mmutrace replay} and the
 * corpus job (module corpus) both check their options here before any replay, so the two take
 * the same things and refuse the rest in the same words (exit 2). The setting keys come from the
 * model factories ({@link ModelFactory#settings()}), so a new model's settings are known here
 * without this class naming it.
 */
public final class ReplayChoices {
    /** 64 MiB of guest memory: any size does for building the models, a small one costs nothing. */
    private static final long STAND_IN_PFN_LIMIT = 1 << 14;

    private ReplayChoices() {
    }

    /**
     * The models {@code names} chooses ({@code all} or names separated by commas), in name order;
     * an unknown name is an {@link IllegalArgumentException} naming the known ones, a usage error.
     */
    public static List<ModelFactory> models(String names) {
        return Models.chosen(names);
    }

    /** The chosen models' names, in their order: what reports list as {@code options.models}. */
    public static ImmutableList<String> names(List<ModelFactory> chosen) {
        return chosen.stream().map(ModelFactory::name).collect(ImmutableList.toImmutableList());
    }

    /**
     * Why a {@code --set} cannot apply, if one cannot: its model is not in this build or not in
     * this run, or the model has no such setting. The first refused one, in the order given.
     */
    public static Optional<String> settingProblem(List<ModelFactory> chosen, Map<String, String> settings) {
        ImmutableSortedMap<String, ModelFactory> available = Models.available();
        for (Map.Entry<String, String> set : settings.entrySet()) {
            String key = set.getKey();
            String given = "--set " + key + "=" + set.getValue();
            String model = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            ModelFactory factory = available.get(model);
            if (factory == null) {
                return Optional.of(given + ": no model '" + model + "' (this build has: "
                        + String.join(", ", available.keySet()) + ")");
            }
            if (chosen.stream().noneMatch(f -> f.name().equals(model))) {
                return Optional.of(given + ": model " + model + " is not replayed in this run (--model "
                        + model + " or all)");
            }
            List<String> keys = factory.settings().stream().map(ModelSetting::key).toList();
            if (!keys.contains(key)) {
                return Optional.of(given + ": " + model + " has no setting '" + key + "' ("
                        + (keys.isEmpty() ? model + " takes none" : "it has " + String.join(", ", keys)) + ")");
            }
        }
        return Optional.empty();
    }

    /**
     * Why a {@code --set} value cannot apply, if one cannot (a flag that is neither true nor false,
     * a count out of its range): the chosen models are built once with the settings, as every replay
     * builds them, so each model's own check of its values runs before any trace is read. The
     * header they are built against (4level, one vCPU) is a stand-in; the settings' checks do not
     * read it.
     */
    public static Optional<String> settingValueProblem(List<ModelFactory> chosen, Map<String, String> settings) {
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        try {
            new ReplayEngine(TraceHeader.defaults(PagingMode.FOUR_LEVEL, 1, STAND_IN_PFN_LIMIT), chosen,
                    new ModelOptions(0, ImmutableMap.copyOf(settings)), (model, observation) -> {
                    });
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Why the {@code --costs} file cannot be read at all, if it cannot: the line names the file. */
    public static Optional<String> costsProblem(Path costs) {
        return InputFiles.problem(costs).map(p -> costs + ": " + p);
    }

    /**
     * The cost table of a run: {@link CostTable#defaults()}, overridden by the {@code --costs}
     * file when there is one ({@link CostTable#load}: an unknown key or a bad number is bad input
     * naming the file).
     */
    public static CostTable costs(Optional<Path> costs) {
        return costs.map(CostTable::load).orElseGet(CostTable::defaults);
    }
}
