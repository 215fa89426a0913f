package dev.mmutrace.cli;

import dev.mmutrace.trace.TraceInputException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mmutrace} command line. Exit codes (SPEC §10): 0 ok, 1 a regression found by
 * {@code diff}, 2 bad input or usage. Bad input is one line on stderr naming the place and the
 * field, never a stack trace.
 */
@Command(name = "mmutrace",
        mixinStandardHelpOptions = true,
        versionProvider = Mmutrace.Version.class,
        description = "Replays guest MMU event traces through an emulated x86 MMU and hypervisor memory models.",
        subcommands = {
                CommandLine.HelpCommand.class,
                ReplayCommand.class,
                ConvertCommand.class,
                GenerateCommand.class,
                DiffCommand.class,
        })
public final class Mmutrace {
    public static final int EXIT_OK = 0;
    public static final int EXIT_REGRESSION = 1;
    public static final int EXIT_BAD_INPUT = 2;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line with the given streams; returns the exit code. Tests call this. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Mmutrace());
        cl.setExitCodeExceptionMapper(t -> EXIT_BAD_INPUT);
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("mmutrace: " + ex.getMessage());
            return EXIT_BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("mmutrace: " + oneLine(ex));
            return EXIT_BAD_INPUT;
        });
        return cl;
    }

    /** The message a user sees for a failure: the input error as it is, anything else with its kind. */
    private static String oneLine(Exception ex) {
        if (ex instanceof TraceInputException) {
            return ex.getMessage();
        }
        if (ex instanceof java.io.UncheckedIOException || ex instanceof java.io.IOException) {
            Throwable io = ex instanceof java.io.UncheckedIOException u ? u.getCause() : ex;
            return io.getClass().getSimpleName().replace("Exception", "") + ": " + io.getMessage();
        }
        String m = ex.getMessage();
        return m == null ? ex.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Mmutrace.class.getPackage().getImplementationVersion();
            return new String[] {"mmutrace " + (v == null ? "development build" : v)};
        }
    }
}
