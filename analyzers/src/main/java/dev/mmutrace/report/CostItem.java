package dev.mmutrace.report;

/** One line of the cost estimate: an exact count times an estimated price. */
public record CostItem(long count, long cyclesEach, long cycles) {
}
