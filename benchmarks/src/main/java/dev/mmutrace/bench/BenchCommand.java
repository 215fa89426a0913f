package dev.mmutrace.bench;

import static com.google.common.base.Preconditions.checkArgument;

import dev.mmutrace.cli.Mmutrace;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar benchmarks/target/mmutrace-bench.jar}: generates its own inputs into a scratch directory, measures decode and
 * replay throughput, the importers, memory and batch scaling (docs/performance.md), and prints
 * every figure with its target and PASS or MISS, measuring again what was measured while the
 * machine was not idle ({@code --attempts}). With {@code --enforce} a missed target is exit 1.
 */
@Command(name = "mmutrace-bench", mixinStandardHelpOptions = true,
        description = "Measures replay, decode and import throughput, memory and batch scaling on generated"
                + " traces, and prints each figure with its target (docs/performance.md).")
public final class BenchCommand implements Callable<Integer> {
    static final long DEFAULT_EVENTS = 2_000_000;
    static final long QUICK_EVENTS = 200_000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--enforce", description = "exit 1 when a target is missed")
    private boolean enforce;

    @Option(names = "--events", paramLabel = "N",
            description = "events of the main generated trace (default 2000000; 200000 with --quick)")
    private Long events;

    @Option(names = "--quick",
            description = "a smoke run of seconds: small inputs, one timed run; figures indicative only")
    private boolean quick;

    @Option(names = "--keep", paramLabel = "DIR", description = "generate the inputs into DIR and keep them")
    private Path keep;

    @Option(names = "--cli", paramLabel = "PATH", description = "the mmutrace launcher the whole-process figures run,"
            + " or the CLI jar it sits beside (default: analyzers/target/mmutrace beside this jar's benchmarks/target)")
    private Path cli;

    @Option(names = "--trace-dat", paramLabel = "FILE", description = "a real trace.dat capture for the trace.dat"
            + " import figure (scripts/capture-tracedat.sh makes one, as root); without it that figure is a MISS")
    private Path traceDat;

    @Option(names = "--attempts", paramLabel = "N", defaultValue = "2", description = "make a measurement at most N"
            + " times: again while the machine was not idle during it, whatever its figures; the last one counts"
            + " (default 2; 1: never again)")
    private int attempts;

    private final Supplier<List<Measurement>> measurements;
    private final Supplier<Readings> readings;

    public BenchCommand() {
        this(BenchRun::standard);
    }

    /** The bench jar's entry point: exit codes and one-line errors as the {@code mmutrace} command's. */
    public static void main(String[] args) {
        CommandLine cl = Mmutrace.withExitCodes(new CommandLine(new BenchCommand()));
        System.exit(cl.execute(args));
    }

    /** With other measurements than the standard ones (tests give fake ones), read on this machine. */
    BenchCommand(Supplier<List<Measurement>> measurements) {
        this(measurements, Readings::ofThisMachine);
    }

    /** With other measurements and other readings of the machine (tests give fake ones of both). */
    BenchCommand(Supplier<List<Measurement>> measurements, Supplier<Readings> readings) {
        this.measurements = measurements;
        this.readings = readings;
    }

    @Override
    public Integer call() throws IOException {
        long n = events != null ? events : quick ? QUICK_EVENTS : DEFAULT_EVENTS;
        BenchSettings settings;
        try {
            settings = quick ? BenchSettings.quick(n) : BenchSettings.standard(n);
            checkArgument(attempts >= 1, "--attempts must be >= 1, got %s", attempts);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("mmutrace: " + e.getMessage());
            return Mmutrace.EXIT_BAD_INPUT;
        }
        Path launcher = launcher(cli != null ? cli : defaultLauncher());
        if (!Files.isRegularFile(launcher) || !Files.isExecutable(launcher)) {
            spec.commandLine().getErr().println("mmutrace-bench: " + launcher + ": no mmutrace launcher there (build it"
                    + " with mvn package, or give --cli PATH)");
            return Mmutrace.EXIT_BAD_INPUT;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("mmutrace-bench%s: %,d events of 4level fork-exec-exit; %d warm-up(s), median of %d run(s)"
                        + " (of %d for a close target); at most %d attempt(s) a measurement, another only after one"
                        + " NOT idle; started %s%n",
                quick ? " --quick" : "", n, settings.timing().warmups(), settings.timing().runs(),
                settings.closeRounds().runs(), attempts, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        Machine.describe().forEach(l -> out.println("  " + l));
        out.println("  cli: " + launcher.toAbsolutePath().normalize() + " (the launcher: mmutrace.jar with the"
                + " class-data-sharing archive beside it)");
        Path dir = keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("mmutrace-bench");
        List<Figure> figures;
        try {
            figures = new BenchRun(measurements.get(), out, attempts, readings.get()).run(new BenchInputs(settings, dir, launcher,
                    Optional.ofNullable(traceDat)));
        } finally {
            if (keep == null) {
                deleteTree(dir);
            }
        }
        return enforce && !BenchRun.missed(figures).isEmpty() ? Mmutrace.EXIT_REGRESSION : Mmutrace.EXIT_OK;
    }

    /** The launcher {@code cli} names: itself, or the {@code mmutrace} beside it when it is the CLI jar. */
    static Path launcher(Path cli) {
        Path name = cli.getFileName();
        return name != null && name.toString().endsWith(".jar") ? cli.resolveSibling("mmutrace") : cli;
    }

    /** benchmarks/target/mmutrace-bench.jar's ../../analyzers/target/mmutrace, or that path from here. */
    private static Path defaultLauncher() {
        Path relative = Path.of("analyzers", "target", "mmutrace");
        try {
            Path self = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path beside = self.getParent().getParent().getParent().resolve(relative);
            return Files.isRegularFile(beside) ? beside : relative;
        } catch (URISyntaxException | RuntimeException e) {
            return relative;
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
