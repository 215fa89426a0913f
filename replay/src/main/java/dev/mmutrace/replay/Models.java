package dev.mmutrace.replay;

import com.google.common.collect.ImmutableSortedMap;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.SortedMap;
import java.util.TreeMap;

/** The models this build knows, by name, found through {@link ModelFactory}'s service entries. */
public final class Models {
    /** The name that chooses every model of the build. */
    public static final String ALL = "all";

    private Models() {
    }

    public static ImmutableSortedMap<String, ModelFactory> available() {
        ImmutableSortedMap.Builder<String, ModelFactory> b = ImmutableSortedMap.naturalOrder();
        for (ModelFactory f : ServiceLoader.load(ModelFactory.class)) {
            b.put(f.name(), f);
        }
        return b.build();
    }

    public static Optional<ModelFactory> named(String name) {
        return Optional.ofNullable(available().get(name));
    }

    /**
     * The factories a command line names: {@code all}, or names separated by commas; in name
     * order. An unknown name is an {@link IllegalArgumentException} naming the known ones.
     */
    public static List<ModelFactory> chosen(String names) {
        ImmutableSortedMap<String, ModelFactory> available = available();
        if (available.isEmpty()) {
            throw new IllegalArgumentException("this build has no models");
        }
        if (names.trim().equals(ALL)) {
            return List.copyOf(available.values());
        }
        SortedMap<String, ModelFactory> chosen = new TreeMap<>();
        for (String name : names.split(",")) {
            String n = name.trim();
            ModelFactory f = available.get(n);
            if (f == null) {
                throw new IllegalArgumentException("unknown model '" + n + "' (this build has: "
                        + String.join(", ", available.keySet()) + ", or " + ALL + ")");
            }
            chosen.put(n, f);
        }
        return List.copyOf(chosen.values());
    }
}
