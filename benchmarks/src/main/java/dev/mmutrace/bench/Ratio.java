package dev.mmutrace.bench;

import java.util.Optional;

/**
 * A ratio of two commands' speeds over the same input, measured in the same run: {@code ours}
 * against {@code peer}, i.e. the peer's time over ours, with the target it is held to, if any.
 */
public record Ratio(String ours, String peer, Optional<Target> target) {

    public static Ratio held(String ours, String peer, double atLeast) {
        return new Ratio(ours, peer, Optional.of(new Target(atLeast)));
    }

    public static Ratio shown(String ours, String peer) {
        return new Ratio(ours, peer, Optional.empty());
    }

    String name() {
        return ours + " / " + peer;
    }
}
