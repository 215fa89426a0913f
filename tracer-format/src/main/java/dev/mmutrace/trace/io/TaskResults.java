package dev.mmutrace.trace.io;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The result of work done on another thread, with its failure rethrown as it was thrown there: a
 * refusal of bad input must reach the user as the same one line whichever thread found it, so
 * the cause is not wrapped.
 */
public final class TaskResults {
    private TaskResults() {
    }

    /**
     * Waits for {@code task}'s result. Its RuntimeException or Error is rethrown unchanged; an
     * interrupt restores the flag and fails with {@code doing} ("replaying") in the message.
     */
    public static <T> T join(Future<T> task, String doing) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + doing, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }
}
