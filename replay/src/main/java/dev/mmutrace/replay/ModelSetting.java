package dev.mmutrace.replay;

import static java.util.Objects.requireNonNull;

/**
 * One setting a model takes for what-if runs ({@code replay --set KEY=VALUE}): its key (the model's
 * name, a dot, then the setting's), the value it has when not set, and what it means in a few
 * words. The model's factory lists them, so the command line can refuse a key no model knows and
 * show every key in its help without knowing any model by name.
 */
public record ModelSetting(String key, String defaultValue, String meaning) {
    public ModelSetting {
        requireNonNull(key, "key");
        requireNonNull(defaultValue, "defaultValue");
        requireNonNull(meaning, "meaning");
    }
}
