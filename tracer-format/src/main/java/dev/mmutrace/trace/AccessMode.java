package dev.mmutrace.trace;

import java.util.Optional;

/**
 * Whether a trace's page faults stand for the accesses that took them ({@code implied}: real
 * kernel traces) or only its access events touch memory ({@code explicit}). SPEC §2.1.
 */
public enum AccessMode {
    IMPLIED("implied"), EXPLICIT("explicit");

    private final String wireName;

    AccessMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<AccessMode> fromWireName(String name) {
        for (AccessMode m : values()) {
            if (m.wireName.equals(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
