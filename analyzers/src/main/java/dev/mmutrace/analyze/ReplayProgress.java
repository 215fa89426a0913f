package dev.mmutrace.analyze;

/** What a batch tells whoever shows progress; called from worker threads. */
public interface ReplayProgress {
    ReplayProgress NONE = new ReplayProgress() {
    };

    /** Another {@code events} events were replayed (reported in chunks, not per event). */
    default void eventsReplayed(long events) {
    }

    default void traceDone(String path) {
    }
}
