package dev.mmutrace.corpus;

import dev.mmutrace.cli.Mmutrace;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The corpus command line, {@code java -jar mmutrace-corpus.jar replay ...} or
 * {@code spark-submit --class dev.mmutrace.corpus.CorpusMain mmutrace-corpus.jar replay ...}.
 * Exit codes as mmutrace's: 0 done, 1 a regression found by {@code --against}, 2 bad input or
 * usage, with one line on stderr.
 */
@Command(name = "mmutrace-corpus", mixinStandardHelpOptions = true,
        description = "Replays a corpus of traces on Apache Spark (embedded local mode without a cluster).",
        subcommands = {CommandLine.HelpCommand.class, CorpusReplayCommand.class})
public final class CorpusMain {

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line with the given streams; returns the exit code. Tests call this. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = Mmutrace.withExitCodes(new CommandLine(new CorpusMain()));
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }
}
