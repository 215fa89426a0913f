package dev.mmutrace.report;

/**
 * One missed flush as a reader needs it to find it in the trace: the event, the vCPU, the virtual
 * address whose stale translation outlived its use ({@code 0x...}) and why it counts as missed.
 */
public record MissedFlushRecord(long event, int cpu, String vaddr, String why) {
}
