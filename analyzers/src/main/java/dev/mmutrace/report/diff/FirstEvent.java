package dev.mmutrace.report.diff;

/**
 * One entry of a report's first-N lists as the diff shows it: the event, the vCPU, what happened
 * (a validation failure's reason code, or why a flush counts as missed) and the detail (the
 * failure's message, or the stale translation's virtual address).
 */
public record FirstEvent(long event, int cpu, String what, String detail) {

    /** The same failure or missed flush: same event, vCPU and kind (messages may be reworded). */
    boolean sameAs(FirstEvent other) {
        return event == other.event && cpu == other.cpu && what.equals(other.what);
    }
}
