package dev.mmutrace.report;

/** One validation failure as a reader needs it: where, which vCPU, the code, and the seed's words. */
public record FailureRecord(long event, int cpu, String reason, String message) {
}
