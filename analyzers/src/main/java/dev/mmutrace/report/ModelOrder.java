package dev.mmutrace.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The order people read models in: the native baseline first, then xen and lguest, then any other
 * by name. (JSON keeps alphabetical order; tables and charts use this one.)
 */
public final class ModelOrder {
    private static final List<String> KNOWN = List.of("native", "xen", "lguest");

    private ModelOrder() {
    }

    public static List<String> of(Set<String> models) {
        List<String> sorted = new ArrayList<>(models);
        sorted.sort(Comparator.comparingInt((String m) -> {
            int i = KNOWN.indexOf(m);
            return i < 0 ? KNOWN.size() : i;
        }).thenComparing(Comparator.naturalOrder()));
        return sorted;
    }
}
