package dev.mmutrace.replay;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;

/**
 * What a model may be tuned with: the seed for any random choice (so a replay is deterministic
 * per seed) and named settings for what-if runs (e.g. {@code lguest.pgdirs=5}).
 */
public record ModelOptions(long seed, ImmutableMap<String, String> settings) {

    public static final ModelOptions DEFAULTS = new ModelOptions(0, ImmutableMap.of());

    public ModelOptions {
        requireNonNull(settings, "settings");
    }

    public String setting(String key, String fallback) {
        return settings.getOrDefault(key, fallback);
    }

    /** A true/false setting, strictly: anything but {@code true} or {@code false} is refused, not read as false. */
    public boolean flag(String key, boolean fallback) {
        String value = settings.get(key);
        if (value == null) {
            return fallback;
        }
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException(key + " must be true or false, got '" + value + "'");
    }
}
