package dev.mmutrace.report;

/**
 * Page faults as a model saw them: taken by the guest, claimed by the trace but not real
 * (spurious), filled by the host behind the guest's back (hidden), passed on to the guest (reflected).
 */
public record Faults(long guest, long spurious, long hidden, long reflected) {
}
