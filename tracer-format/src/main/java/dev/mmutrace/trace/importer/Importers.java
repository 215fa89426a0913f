package dev.mmutrace.trace.importer;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** The importers on the class path ({@link ServiceLoader}), by name, by file name and by content. */
public final class Importers {
    /** How many leading bytes of an input {@link TraceImporter#recognises} is shown. */
    public static final int SNIFF_BYTES = 8192;

    private final ImmutableList<TraceImporter> all;

    private Importers(ImmutableList<TraceImporter> all) {
        this.all = all;
    }

    /**
     * Every importer the class path provides, in name order (so recognition is deterministic).
     * This and the lookups below are plain loops, not streams: every import runs them before its
     * first line, and the first {@code findFirst}, {@code Comparator.comparing} and Guava
     * collector of a run spin or link classes the archive does not hold (docs/performance.md,
     * Start-up).
     */
    public static Importers installed() {
        List<TraceImporter> found = new ArrayList<>();
        ServiceLoader.load(TraceImporter.class, Importers.class.getClassLoader()).forEach(found::add);
        return new Importers(ImmutableList.sortedCopyOf((a, b) -> a.name().compareTo(b.name()), found));
    }

    public ImmutableList<TraceImporter> all() {
        return all;
    }

    /** The importer {@code --from} names, any case. */
    public Optional<TraceImporter> named(String name) {
        for (TraceImporter i : all) {
            if (i.name().equalsIgnoreCase(name)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** The importer whose extension {@code fileName} ends in (before any {@code .gz}). */
    public Optional<TraceImporter> forName(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.endsWith(".gz")) {
            n = n.substring(0, n.length() - 3);
        }
        for (TraceImporter i : all) {
            for (String ext : i.extensions()) {
                if (n.endsWith(ext)) {
                    return Optional.of(i);
                }
            }
        }
        return Optional.empty();
    }

    /** The importer that recognises these first bytes of an input. */
    public Optional<TraceImporter> recognise(byte[] head, int length) {
        for (TraceImporter i : all) {
            if (i.recognises(head, length)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** The names, for messages: {@code ftrace, trace-dat}. */
    public String names() {
        return all.stream().map(TraceImporter::name).collect(Collectors.joining(", "));
    }
}
