package dev.mmutrace.report;

/** A fact a reader must know to trust a model's figures, with the first event it concerns and how often it came up. */
public record RemarkEntry(String key, long event, String text, long count) {
}
