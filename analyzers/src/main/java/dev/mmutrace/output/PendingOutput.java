package dev.mmutrace.output;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One output being written: {@link #stream()} takes the bytes, {@link #commit()} makes them the
 * output, and {@link #close()} without a commit throws them away. For a regular file the bytes go
 * to a hidden temporary file beside it, synced to disk and renamed over the target on commit, so
 * the target holds either its old content or the whole new one, never a truncated file; a stream
 * target (standard output, a FIFO, a device) gets the bytes as they come.
 *
 * <p>Every write error is an {@link OutputFailure} naming the target as the user gave it.
 */
public final class PendingOutput implements AutoCloseable {
    private final OutputTarget target;
    private final Optional<Path> temp;
    private final LiveTemps temps;
    private final TargetStream stream;
    private boolean committed;

    private PendingOutput(OutputTarget target, Optional<Path> temp, LiveTemps temps, TargetStream stream) {
        this.target = target;
        this.temp = temp;
        this.temps = temps;
        this.stream = stream;
    }

    static PendingOutput open(OutputTarget target, OutputStream standardOutput, LiveTemps temps) {
        try {
            if (target instanceof OutputTarget.RegularFile f) {
                return beside(f, temps);
            }
            if (target instanceof OutputTarget.ExistingStream s) {
                return new PendingOutput(target, Optional.empty(), temps, new TargetStream(target,
                        Files.newOutputStream(s.given(), StandardOpenOption.WRITE), true, Optional.empty()));
            }
            return new PendingOutput(target, Optional.empty(), temps,
                    new TargetStream(target, standardOutput, false, Optional.empty()));
        } catch (IOException e) {
            throw new UncheckedIOException(new OutputFailure(target, e));
        }
    }

    /**
     * A new hidden file in the target's own directory (so the rename is atomic), created with the
     * default mode rather than a temporary file's 0600, which would outlive the rename.
     */
    private static PendingOutput beside(OutputTarget.RegularFile f, LiveTemps temps) throws IOException {
        Path placed = f.placed();
        for (int attempt = 0;; attempt++) {
            Path temp = placed.resolveSibling("." + placed.getFileName() + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + ".partial");
            FileChannel channel;
            try {
                channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                if (attempt < 100) {
                    continue;
                }
                throw taken;
            }
            temps.add(temp);
            return new PendingOutput(f, Optional.of(temp), temps,
                    new TargetStream(f, Channels.newOutputStream(channel), true, Optional.of(channel)));
        }
    }

    public OutputTarget target() {
        return target;
    }

    /** The output's bytes go here; closing it (a writer may) does not commit. */
    public OutputStream stream() {
        return stream;
    }

    /** Finishes the output: flushes (and for a file syncs and renames it into place). */
    public void commit() throws OutputFailure {
        stream.finish();
        if (temp.isPresent()) {
            Path placed = ((OutputTarget.RegularFile) target).placed();
            try {
                move(temp.get(), placed);
            } catch (IOException e) {
                throw new OutputFailure(target, e);
            }
            temps.forget(temp.get());
        }
        committed = true;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            // Same directory, so only a strange file system gets here; a plain replace is the best left.
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Throws the output away unless it was committed: the temporary file goes, the target stays as it was. */
    @Override
    public void close() {
        if (committed) {
            return;
        }
        stream.abandon();
        temp.ifPresent(temps::delete);
    }

    /** The target's bytes, each write error turned into an {@link OutputFailure} naming the target. */
    private static final class TargetStream extends OutputStream {
        private final OutputTarget target;
        private final OutputStream out;
        private final boolean owned;
        private final Optional<FileChannel> sync;
        private boolean closed;

        TargetStream(OutputTarget target, OutputStream out, boolean owned, Optional<FileChannel> sync) {
            this.target = target;
            this.out = out;
            this.owned = owned;
            this.sync = sync;
        }

        @Override
        public void write(int b) throws OutputFailure {
            try {
                out.write(b);
            } catch (IOException e) {
                throw new OutputFailure(target, e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws OutputFailure {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw new OutputFailure(target, e);
            }
        }

        @Override
        public void flush() throws OutputFailure {
            try {
                out.flush();
            } catch (IOException e) {
                throw new OutputFailure(target, e);
            }
        }

        /** A writer closing its stream: the bytes are complete, but nothing is committed yet. */
        @Override
        public void close() throws OutputFailure {
            finish();
        }

        void finish() throws OutputFailure {
            if (closed) {
                return;
            }
            try {
                out.flush();
                if (sync.isPresent()) {
                    sync.get().force(true);
                }
                closed = true;
                if (owned) {
                    out.close();
                }
            } catch (IOException e) {
                abandon();
                throw new OutputFailure(target, e);
            }
        }

        void abandon() {
            closed = true;
            if (owned) {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // the bytes are being thrown away anyway
                }
            }
        }
    }
}
