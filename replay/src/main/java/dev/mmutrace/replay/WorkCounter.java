package dev.mmutrace.replay;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * A counter of work a model reports through {@link dev.mmutrace.replay.observe.Work}: its name in
 * reports, and what one count costs in the report's estimate, under {@code costKey} (a key of the
 * cost table: one the table has, or a new one priced at {@code defaultCycles}, overridable with
 * {@code --costs} like any other; docs/cost-model.md).
 */
public record WorkCounter(String name, String costKey, long defaultCycles) {
    public WorkCounter {
        checkArgument(name.matches("[a-z][a-z0-9_]*"), "a counter name is lower-case snake_case, got '%s'", name);
        checkArgument(costKey.matches("[a-z][a-z0-9_]*"), "a cost key is lower-case snake_case, got '%s'", costKey);
        checkArgument(defaultCycles >= 0, "a cost must be >= 0 cycles, got %s", defaultCycles);
    }
}
