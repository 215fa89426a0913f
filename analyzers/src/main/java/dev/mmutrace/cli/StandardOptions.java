package dev.mmutrace.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code -h, --help} and {@code -V, --version} on every command of a command line: the options,
 * names and descriptions that {@code @Command(mixinStandardHelpOptions = true)} gives, added last
 * as that does, so usage and help read the same. picocli makes that mixin by reflection, a command
 * model of its own for each command, at every start; built here they cost nothing worth measuring
 * (docs/performance.md, Start-up).
 */
final class StandardOptions {
    private StandardOptions() {
    }

    /** Adds both options to {@code cl} and to each of its subcommands but picocli's own {@code help}. */
    static void addTo(CommandLine cl) {
        add(cl.getCommandSpec());
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (!sub.getCommandSpec().helpCommand()) {
                add(sub.getCommandSpec());
            }
        }
    }

    private static void add(CommandSpec spec) {
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
    }
}
