package dev.mmutrace.trace;

import java.util.Optional;

/**
 * What guest memory holds before a trace's first event (SPEC §2.2). A trace taken mid-run
 * ({@code unknown}) says nothing of the entries it never writes, so a walk into one is unknown
 * state; a trace that starts at boot ({@code empty}: synthetic and sample traces) starts from
 * zeroed memory, so a never-written entry is simply not present.
 */
public enum InitialMemory implements WireNamed {
    UNKNOWN, EMPTY;

    public static Optional<InitialMemory> fromWireName(String name) {
        return WireNamed.find(values(), name);
    }
}
