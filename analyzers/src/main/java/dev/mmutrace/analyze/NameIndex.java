package dev.mmutrace.analyze;

import java.util.Arrays;

/**
 * A dense number (0, 1, 2, ... in first-seen order) for each distinct name a tally counts by:
 * reason codes, exit causes, hypercall and flush kinds.
 *
 * <p>An open-addressed table keyed by the string's own (cached) hash code: the names are the
 * models' constants, so the slot probed first nearly always holds the very same instance and the
 * lookup is a hash load and a reference compare. A HashMap lookup with computeIfAbsent per
 * observation, and then a scan of the known names by reference, were each a visible part of a
 * replay.
 */
final class NameIndex {
    private String[] keys = new String[32];
    private int[] hashes = new int[32];
    private int[] numbers = new int[32];
    private String[] names = new String[8];
    private int size;

    /**
     * The number of {@code name}, given it now if it is new. The usual case, the same instance in
     * the first slot probed, is kept apart from the probing so that it stays small where the JIT
     * inlines it (at every place a model reports).
     */
    int indexOf(String name) {
        int h = name.hashCode();
        int i = spread(h) & (keys.length - 1);
        if (keys[i] == name) {
            return numbers[i];
        }
        return probe(name, h, i);
    }

    private int probe(String name, int h, int first) {
        int mask = keys.length - 1;
        for (int i = first; ; i = (i + 1) & mask) {
            String k = keys[i];
            if (k == name) {
                return numbers[i];
            }
            if (k == null) {
                return add(name, h);
            }
            if (hashes[i] == h && k.equals(name)) {
                return numbers[i];
            }
        }
    }

    /** The name numbered {@code index}. */
    String name(int index) {
        return names[index];
    }

    /** How many names have a number. */
    int size() {
        return size;
    }

    private int add(String name, int h) {
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
        }
        names[size] = name;
        // at most half full, so a probe soon meets an empty slot
        if (2 * (size + 1) > keys.length) {
            rehash(keys.length * 2);
        }
        put(name, h, size);
        return size++;
    }

    private void rehash(int capacity) {
        String[] oldKeys = keys;
        int[] oldHashes = hashes;
        int[] oldNumbers = numbers;
        keys = new String[capacity];
        hashes = new int[capacity];
        numbers = new int[capacity];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                put(oldKeys[i], oldHashes[i], oldNumbers[i]);
            }
        }
    }

    private void put(String name, int h, int number) {
        int mask = keys.length - 1;
        int i = spread(h) & mask;
        while (keys[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = name;
        hashes[i] = h;
        numbers[i] = number;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
