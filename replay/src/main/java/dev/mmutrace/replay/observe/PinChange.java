package dev.mmutrace.replay.observe;

/** A page-table page pinned ({@code pinned} true) or unpinned at {@code level}. */
public record PinChange(long event, int cpu, long mfn, int level, boolean pinned) implements Observation {
}
