package dev.mmutrace.report;

/** Flushes of one kind or one origin, split by SPEC §4's classification. */
public record FlushCounts(long total, long needed, long wasted, long overBroad) {
}
