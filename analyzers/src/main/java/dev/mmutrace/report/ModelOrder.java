package dev.mmutrace.report;

import dev.mmutrace.replay.ModelFactory;
import dev.mmutrace.replay.Models;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order people read models in: by the rank each model's factory gives
 * ({@link ModelFactory#reportRank()}: the native baseline first, then xen and lguest), then by
 * name; a model this build does not know (a report made elsewhere) after them. (JSON keeps
 * alphabetical order; tables and charts use this one.)
 */
public final class ModelOrder {
    private ModelOrder() {
    }

    public static List<String> of(Set<String> models) {
        Map<String, ModelFactory> known = Models.available();
        List<String> sorted = new ArrayList<>(models);
        sorted.sort(Comparator.comparingInt((String m) -> known.containsKey(m) ? known.get(m).reportRank()
                : Integer.MAX_VALUE).thenComparing(Comparator.naturalOrder()));
        return sorted;
    }
}
