package dev.mmutrace.trace.importer;

import com.google.common.collect.ImmutableList;
import java.util.Comparator;
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

    /** Every importer the class path provides, in name order (so recognition is deterministic). */
    public static Importers installed() {
        ImmutableList.Builder<TraceImporter> b = ImmutableList.builder();
        ServiceLoader.load(TraceImporter.class, Importers.class.getClassLoader()).forEach(b::add);
        return new Importers(b.build().stream().sorted(Comparator.comparing(TraceImporter::name))
                .collect(ImmutableList.toImmutableList()));
    }

    public ImmutableList<TraceImporter> all() {
        return all;
    }

    /** The importer {@code --from} names, any case. */
    public Optional<TraceImporter> named(String name) {
        return all.stream().filter(i -> i.name().equalsIgnoreCase(name)).findFirst();
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
        return all.stream().filter(i -> i.recognises(head, length)).findFirst();
    }

    /** The names, for messages: {@code ftrace, trace-dat}. */
    public String names() {
        return all.stream().map(TraceImporter::name).collect(Collectors.joining(", "));
    }
}
