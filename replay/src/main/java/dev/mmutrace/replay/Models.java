package dev.mmutrace.replay;

import com.google.common.collect.ImmutableSortedMap;
import java.util.Optional;
import java.util.ServiceLoader;

/** The models this build knows, by name, found through {@link ModelFactory}'s service entries. */
public final class Models {
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
}
