package dev.mmutrace.analyze;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A dense number (0, 1, 2, ... in first-seen order) for each distinct name a tally counts by:
 * reason codes, exit causes, hypercall and flush kinds.
 *
 * <p>The subtle thing: those names are the models' constants, so the same few String instances
 * come back for every observation, and a short scan comparing references finds them without
 * hashing the string (a HashMap lookup per observation was a visible part of a replay). A name
 * that is equal to a known one but another instance is still found, through a map by value.
 */
final class NameIndex {
    /** How many of the first names are looked for by reference before the map is asked. */
    static final int SCANNED = 16;

    private String[] names = new String[8];
    private int size;
    private final Map<String, Integer> byValue = new HashMap<>();

    /** The number of {@code name}, given it now if it is new. */
    int indexOf(String name) {
        int scanned = Math.min(size, SCANNED);
        for (int i = 0; i < scanned; i++) {
            if (names[i] == name) {
                return i;
            }
        }
        Integer known = byValue.get(name);
        if (known != null) {
            return known;
        }
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
        }
        names[size] = name;
        byValue.put(name, size);
        return size++;
    }

    /** The name numbered {@code index}. */
    String name(int index) {
        return names[index];
    }

    /** How many names have a number. */
    int size() {
        return size;
    }
}
