package dev.mmutrace.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The subcommands of {@code mmutrace}, in the order of its help, and which of them a command line
 * can reach. picocli builds the whole model of a command (every option, by reflection) when it is
 * added, and that was most of the cpu a short run costs (docs/performance.md, start-up); so a
 * command line gets only the commands it can use, which parse and print exactly as the whole tree
 * would: picocli hands everything after a subcommand's name to that subcommand alone.
 */
final class Subcommands {
    /** Every subcommand, in the order {@code mmutrace --help} lists them. */
    static final List<Class<?>> ALL = List.of(
            CommandLine.HelpCommand.class,
            ReplayCommand.class,
            ConvertCommand.class,
            GenerateCommand.class,
            DiffCommand.class,
            MergeCommand.class);

    private static final List<String> VERSION_OPTIONS = List.of("-V", "--version");

    private Subcommands() {
    }

    /**
     * The subcommands {@code args} can reach: the one its first argument names (not {@code help},
     * which renders the others), none when it only asks for the version, else all of them (the top
     * help lists them, and a usage error is reported against the whole tree).
     */
    static List<Class<?>> reachedBy(String[] args) {
        if (args.length == 1 && VERSION_OPTIONS.contains(args[0])) {
            return List.of();
        }
        if (args.length > 0) {
            for (Class<?> sub : ALL) {
                if (sub != CommandLine.HelpCommand.class && name(sub).equals(args[0])) {
                    return List.of(sub);
                }
            }
        }
        return ALL;
    }

    private static String name(Class<?> sub) {
        return sub.getAnnotation(Command.class).name();
    }
}
