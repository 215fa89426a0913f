package dev.mmutrace.output;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Every output of one command run, the one way the command line writes anything (SPEC §11).
 * Targets are claimed before anything is written, and a claim is refused when the target is a
 * directory, is one of the run's inputs (however named: {@code ./x.csv}, a symbolic or hard link),
 * or is already another output of the run. Outputs are then written through {@link PendingOutput}s
 * and committed together, so a failed run leaves none of its files; temporary files never outlive
 * the run, not even one ended by SIGINT or SIGTERM.
 */
public final class RunOutputs implements AutoCloseable {
    private static final Path STANDARD_OUTPUT_NAME = Path.of("-");

    private final List<FileIdentity> inputs = new ArrayList<>();
    private final OutputStream standardOutput;
    private final LiveTemps temps = new LiveTemps();
    private final List<OutputTarget> claimed = new ArrayList<>();
    private final Deque<Path> createdDirectories = new ArrayDeque<>();

    /** {@code inputs} are every file the run reads; {@code standardOutput} is where {@code -} goes. */
    public RunOutputs(List<Path> inputs, OutputStream standardOutput) {
        for (Path p : inputs) {
            FileIdentity.of(p).ifPresent(this.inputs::add);
        }
        this.standardOutput = standardOutput;
    }

    /** Whether the user named standard output ({@code -}). */
    public static boolean isStandardOutput(Path given) {
        return given.equals(STANDARD_OUTPUT_NAME);
    }

    /** Claims {@code given} ({@code -} for standard output) as an output file of this run. */
    public OutputTarget target(Path given) {
        return claim(resolve(given, false));
    }

    /**
     * Claims file {@code name} in directory {@code dir} (an {@code --out DIR}), which is created
     * when the run writes and removed again if the run fails.
     */
    public OutputTarget targetIn(Path dir, String name) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new OutputRefused(dir + ": not a directory (it names the directory the reports are written into)");
        }
        return claim(resolve(dir.resolve(name), true));
    }

    private static OutputTarget resolve(Path given, boolean parentMayBeMissing) {
        if (isStandardOutput(given)) {
            return new OutputTarget.StandardOutput();
        }
        if (Files.isDirectory(given)) {
            throw new OutputRefused(given + ": is a directory; give the name of a file to write");
        }
        if (Files.exists(given)) {
            if (!Files.isRegularFile(given)) {
                return new OutputTarget.ExistingStream(given);
            }
            try {
                return new OutputTarget.RegularFile(given, given.toRealPath());
            } catch (IOException e) {
                throw new UncheckedIOException(new OutputFailure(new OutputTarget.ExistingStream(given), e));
            }
        }
        if (Files.isSymbolicLink(given)) {
            throw new OutputRefused(given + ": is a symbolic link to nothing; give the file it should name");
        }
        Path parent = given.toAbsolutePath().getParent();
        if (!parentMayBeMissing && !Files.isDirectory(parent)) {
            throw new OutputRefused(given + ": no such directory " + (given.getParent() == null ? parent
                    : given.getParent()));
        }
        return new OutputTarget.RegularFile(given, given.toAbsolutePath().normalize());
    }

    private OutputTarget claim(OutputTarget target) {
        Optional<FileIdentity> identity = identity(target);
        for (FileIdentity input : inputs) {
            if (identity.isPresent() && identity.get().sameFileAs(input)) {
                throw new OutputRefused(target.shown() + ": is the input " + input.given()
                        + " of this run; refusing to write over an input (nothing was written)");
            }
        }
        for (OutputTarget other : claimed) {
            if (sameOutput(target, other)) {
                throw new OutputRefused(target.shown() + ": two outputs of this run would go there (also "
                        + other.shown() + "); give them different names");
            }
        }
        claimed.add(target);
        return target;
    }

    private static Optional<FileIdentity> identity(OutputTarget target) {
        if (target instanceof OutputTarget.RegularFile f) {
            return FileIdentity.of(f.placed());
        }
        if (target instanceof OutputTarget.ExistingStream s) {
            return FileIdentity.of(s.given());
        }
        return Optional.empty();
    }

    private static boolean sameOutput(OutputTarget a, OutputTarget b) {
        if (a instanceof OutputTarget.StandardOutput || b instanceof OutputTarget.StandardOutput) {
            return a.getClass() == b.getClass();
        }
        if (a instanceof OutputTarget.RegularFile fa && b instanceof OutputTarget.RegularFile fb
                && fa.placed().equals(fb.placed())) {
            return true;
        }
        Optional<FileIdentity> ia = identity(a);
        Optional<FileIdentity> ib = identity(b);
        return ia.isPresent() && ib.isPresent() && ia.get().sameFileAs(ib.get());
    }

    /** Starts writing a claimed target; commit it (or {@link #commitTogether}) to keep it. */
    public PendingOutput open(OutputTarget target) {
        if (target instanceof OutputTarget.RegularFile f) {
            createParents(f);
        }
        return PendingOutput.open(target, standardOutput, temps);
    }

    /** A claimed target with its whole content written, not yet committed. */
    public PendingOutput openWith(OutputTarget target, String content) {
        PendingOutput p = open(target);
        try {
            p.stream().write(content.getBytes(StandardCharsets.UTF_8));
            return p;
        } catch (IOException e) {
            p.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /**
     * Commits every output or none: all are finished (flushed, synced) first, then renamed into
     * place; if a rename fails, the files of this run already in place are deleted again. The
     * outputs are closed either way.
     */
    public void commitTogether(List<PendingOutput> outputs) {
        List<Path> placed = new ArrayList<>();
        try {
            for (PendingOutput p : outputs) {
                p.stream().close();
            }
            for (PendingOutput p : outputs) {
                p.commit();
                if (p.target() instanceof OutputTarget.RegularFile f) {
                    placed.add(f.placed());
                }
            }
        } catch (IOException e) {
            placed.forEach(RunOutputs::deleteQuietly);
            throw new UncheckedIOException(e);
        } finally {
            outputs.forEach(PendingOutput::close);
        }
    }

    private void createParents(OutputTarget.RegularFile f) {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path d = f.placed().getParent(); d != null && !Files.isDirectory(d); d = d.getParent()) {
            missing.push(d);
        }
        for (Path d : missing) {
            try {
                Files.createDirectory(d);
            } catch (IOException e) {
                throw new UncheckedIOException(new OutputFailure(f, e));
            }
            createdDirectories.push(d);
        }
    }

    /** Deletes what a failed run left: temporary files, and directories it created that stayed empty. */
    @Override
    public void close() {
        temps.close();
        while (!createdDirectories.isEmpty()) {
            Path d = createdDirectories.pop();
            try (var entries = Files.list(d)) {
                if (entries.findAny().isEmpty()) {
                    Files.delete(d);
                }
            } catch (IOException ignored) {
                // a directory that cannot be listed or deleted is left; it holds nothing of ours
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // the failure that led here is the one reported
        }
    }
}
