package dev.mmutrace.output;

import java.nio.file.Path;

/**
 * Where one output goes, decided before anything is written. The subtle thing: only a regular
 * file (or a name not yet taken) is ever replaced, through a temporary file beside it; anything
 * else that already exists under the name (a device, a FIFO, a socket, a symbolic link to one of
 * them) is opened and streamed to, because renaming over it would destroy it.
 */
public sealed interface OutputTarget {

    /** The output as the user named it, for messages. */
    String shown();

    /** {@code -}: the process's standard output. */
    record StandardOutput() implements OutputTarget {
        @Override
        public String shown() {
            return "standard output";
        }
    }

    /**
     * A regular file, existing or not, replaced atomically: written beside {@code placed} (where it
     * lands, a symbolic link's target when {@code given} is a link) and moved there when complete.
     */
    record RegularFile(Path given, Path placed) implements OutputTarget {
        @Override
        public String shown() {
            return given.toString();
        }
    }

    /** An existing device, FIFO or socket (or a link to one): written to in place, never renamed over. */
    record ExistingStream(Path given) implements OutputTarget {
        @Override
        public String shown() {
            return given.toString();
        }
    }
}
