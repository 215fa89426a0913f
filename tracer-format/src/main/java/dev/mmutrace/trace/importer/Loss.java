package dev.mmutrace.trace.importer;

import static java.util.Objects.requireNonNull;

import java.util.OptionalLong;

/**
 * The tracer's word, at this place in its output, that it lost events of one cpu: {@code count}
 * of them, or an unknown number when it did not say (a kernel's {@code CPU:N [LOST EVENTS]}, a
 * trace.dat page flagged with no count stored). It becomes a {@code gap} event.
 */
public record Loss(int cpu, OptionalLong count) {
    public Loss {
        requireNonNull(count, "count");
    }
}
