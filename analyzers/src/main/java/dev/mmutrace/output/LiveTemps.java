package dev.mmutrace.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The temporary files one command run has open, so that none outlives it: each is deleted when
 * its output is discarded, and whatever is still here when the run ends, or when the JVM is shut
 * down by SIGINT or SIGTERM (through a shutdown hook held only while the run has temporaries), is
 * deleted then. Outputs of 30-100 MB must not pile up as hidden files after an interrupted batch.
 */
final class LiveTemps implements AutoCloseable {
    private final Set<Path> live = new LinkedHashSet<>();
    private final Thread hook = new Thread(this::deleteAll, "mmutrace-delete-temporaries");
    private boolean hooked;

    synchronized void add(Path temp) {
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(hook);
            hooked = true;
        }
        live.add(temp);
    }

    /** {@code temp} is gone (moved into place or deleted): nothing to clean up for it any more. */
    synchronized void forget(Path temp) {
        live.remove(temp);
    }

    synchronized void delete(Path temp) {
        deleteQuietly(temp);
        live.remove(temp);
    }

    private synchronized void deleteAll() {
        for (Path p : List.copyOf(live)) {
            delete(p);
        }
    }

    @Override
    public synchronized void close() {
        deleteAll();
        if (hooked) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: it deletes the same (by now no) files
            }
            hooked = false;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // nothing more can be done for it; the run's own failure is the one to report
        }
    }
}
