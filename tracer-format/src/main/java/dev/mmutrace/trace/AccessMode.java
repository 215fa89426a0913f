package dev.mmutrace.trace;

import java.util.Optional;

/**
 * Whether a trace's page faults stand for the accesses that took them ({@code implied}: real
 * kernel traces) or only its access events touch memory ({@code explicit}). SPEC §2.1.
 */
public enum AccessMode implements WireNamed {
    IMPLIED, EXPLICIT;

    public static Optional<AccessMode> fromWireName(String name) {
        return WireNamed.find(values(), name);
    }
}
