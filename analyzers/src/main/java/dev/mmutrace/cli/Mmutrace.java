package dev.mmutrace.cli;

import dev.mmutrace.output.RunOutputs;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mmutrace} command line. Exit codes (SPEC §10): 0 ok, 1 a regression found by
 * {@code diff} (or a target missed by the bench jar's {@code --enforce}), 2 bad input or usage.
 * Bad input is one line on stderr naming the place and the field, never a stack trace.
 */
@Command(name = "mmutrace",
        versionProvider = Mmutrace.Version.class,
        description = "Replays guest MMU event traces through an emulated x86 MMU and hypervisor memory models.")
public final class Mmutrace {
    public static final int EXIT_OK = 0;
    public static final int EXIT_REGRESSION = 1;
    public static final int EXIT_BAD_INPUT = 2;

    /** Where {@code -} outputs go: the bytes of standard output, for binary traces as well as text. */
    private final OutputStream standardOutput;

    private Mmutrace(OutputStream standardOutput) {
        this.standardOutput = standardOutput;
    }

    public static void main(String[] args) {
        skipTimeAndSqlConverters();
        // Not System.out: a PrintStream swallows write errors, and a trace cut short on a full
        // pipe must fail loudly.
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        System.exit(run(args, stdout, new PrintWriter(System.err, true)));
    }

    /** Runs one command line; text and {@code -} outputs both go to {@code stdout}. */
    public static int run(String[] args, OutputStream stdout, PrintWriter err) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
        int exit = run(args, stdout, out, err);
        out.flush();
        return exit;
    }

    /**
     * Runs one command line with text streams; returns the exit code. Tests call this. The bytes of
     * {@code -} outputs are decoded as UTF-8 and follow whatever else was printed, so this suits
     * text outputs only; binary ones need {@link #run(String[], OutputStream, PrintWriter)}.
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        ByteArrayOutputStream dashBytes = new ByteArrayOutputStream();
        int exit = run(args, dashBytes, out, err);
        out.print(dashBytes.toString(StandardCharsets.UTF_8));
        out.flush();
        return exit;
    }

    private static int run(String[] args, OutputStream standardOutput, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine(standardOutput, args);
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    /** The outputs of one command run that reads {@code inputs} (SPEC §11: never written over). */
    RunOutputs outputs(List<Path> inputs) {
        return new RunOutputs(inputs, standardOutput);
    }

    /** The command line {@code args} are run with: the commands they can reach (Subcommands). */
    static CommandLine commandLine(OutputStream standardOutput, String[] args) {
        CommandLine cl = new CommandLine(new Mmutrace(standardOutput));
        for (Class<?> sub : Subcommands.reachedBy(args)) {
            cl.addSubcommand(sub);
        }
        StandardOptions.addTo(cl);
        CommandLine replay = cl.getSubcommands().get("replay");
        if (replay != null) {
            // Each section goes right after the options: the settings first, so the models come before them.
            ReplayCommand.addSettingsHelp(replay);
            ReplayCommand.describeModels(replay.getCommandSpec().usageMessage());
        }
        CommandLine generate = cl.getSubcommands().get("generate");
        if (generate != null) {
            GenerateCommand.describeWorkloads(generate.getCommandSpec().usageMessage());
        }
        return withExitCodes(cl);
    }

    /**
     * picocli's system property naming, by regular expression, the types whose built-in
     * converters it leaves out.
     */
    static final String CONVERTER_EXCLUDES = "picocli.converters.excludes";
    /** Every type of java.time and java.sql. */
    static final String TIME_AND_SQL_TYPES = "java\\.(time|sql)\\..*";

    /**
     * Each CommandLine registers a converter for every java.time and java.sql type, looked up by
     * reflection, which loads and initialises some 100 JDK classes (DateTimeFormatter's tables
     * among them) at every start, 10-20 ms (docs/performance.md, Start-up). No option or parameter
     * here has such a type (CommandModelTest), so they are left out, unless the property was given.
     * A system property is the JVM's, so only the process's entry point sets it: {@link #run} (what
     * tests, the bench jar and the corpus jar call) leaves the JVM's properties as it found them.
     */
    private static void skipTimeAndSqlConverters() {
        if (System.getProperty(CONVERTER_EXCLUDES) == null) {
            System.setProperty(CONVERTER_EXCLUDES, TIME_AND_SQL_TYPES);
        }
    }

    /**
     * {@code cl} with this command line's exit codes and one-line error messages: the bench jar
     * (module benchmarks) and the corpus jar run their commands with them too.
     */
    public static CommandLine withExitCodes(CommandLine cl) {
        cl.setExitCodeExceptionMapper(t -> EXIT_BAD_INPUT);
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println(usageError(ex));
            return EXIT_BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("mmutrace: " + FailureLine.of(ex));
            return EXIT_BAD_INPUT;
        });
        return cl;
    }

    /** A usage error in one line that ends by pointing at the help of the command it was made on. */
    static String usageError(CommandLine.ParameterException ex) {
        String m = ex.getMessage() == null ? "bad usage" : ex.getMessage().lines().findFirst().orElse("bad usage");
        return "mmutrace: " + m + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')";
    }

    /**
     * The version and the commit the jar was built from, as the build wrote them into
     * {@code version.properties}; a value the build could not fill (no git checkout) is unknown.
     */
    static final class Version implements CommandLine.IVersionProvider {
        /** What {@code git describe --dirty} appends when the work tree had changes. */
        private static final String DIRTY = "-dirty";

        @Override
        public String[] getVersion() throws java.io.IOException {
            java.util.Properties p = new java.util.Properties();
            try (java.io.InputStream in = Mmutrace.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {line(p)};
        }

        static String line(java.util.Properties built) {
            String commit = filled(built, "commit");
            String dirty = "";
            if (commit.endsWith(DIRTY)) {
                commit = commit.substring(0, commit.length() - DIRTY.length());
                dirty = ", with uncommitted changes";
            }
            return "mmutrace " + filled(built, "version") + " (commit " + commit + dirty + ")";
        }

        /** A property the build filled in, or "unknown" when it left the placeholder (or nothing). */
        private static String filled(java.util.Properties built, String key) {
            String v = built.getProperty(key, "");
            return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
        }
    }
}
