package dev.mmutrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The model picocli is given: what the start-up shortcuts in Mmutrace and StandardOptions rely on. */
class CommandModelTest {

    /** Every command a command line can reach: the whole tree, as {@code mmutrace --help} builds it. */
    private static List<CommandSpec> everyCommand() {
        CommandLine whole = Mmutrace.commandLine(new ByteArrayOutputStream(), new String[0]);
        List<CommandSpec> all = new ArrayList<>();
        all.add(whole.getCommandSpec());
        whole.getSubcommands().values().forEach(sub -> all.add(sub.getCommandSpec()));
        assertThat(all).extracting(CommandSpec::name)
                .containsExactly("mmutrace", "help", "replay", "convert", "generate", "diff", "merge");
        return all;
    }

    /**
     * picocli's converters of java.time and java.sql types are left out (Mmutrace): so no option
     * or parameter may be of such a type, or of a collection or map of one, else it would stop
     * parsing.
     */
    @Test
    void noArgumentIsOfATypeWhoseConverterIsLeftOut() {
        Pattern leftOut = Pattern.compile(Mmutrace.TIME_AND_SQL_TYPES);
        assertThat(leftOut.matcher("java.time.Duration").matches()).isTrue();
        assertThat(leftOut.matcher("java.sql.Timestamp").matches()).isTrue();
        assertThat(leftOut.matcher("java.nio.file.Path").matches()).isFalse();
        int checked = 0;
        for (CommandSpec command : everyCommand()) {
            for (ArgSpec arg : command.args()) {
                List<Class<?>> types = new ArrayList<>(List.of(arg.auxiliaryTypes()));
                types.add(arg.type());
                for (Class<?> type : types) {
                    assertThat(type.getName()).as("%s of %s", arg, command.qualifiedName())
                            .doesNotMatch(leftOut);
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(50);
    }

    /**
     * StandardOptions gives each command (but picocli's help) what picocli's standard mixin would:
     * compared with that mixin on an empty command, option by option, and last, as the mixin is.
     */
    @Test
    void everyCommandButHelpEndsWithPicocliStandardHelpAndVersionOptions() {
        List<OptionSpec> standard = CommandSpec.create().mixinStandardHelpOptions(true).options();
        assertThat(standard).hasSize(2);
        for (CommandSpec command : everyCommand()) {
            List<OptionSpec> options = command.options();
            if (command.helpCommand()) {
                assertThat(options).noneMatch(OptionSpec::versionHelp);
                continue;
            }
            List<OptionSpec> last = options.subList(options.size() - 2, options.size());
            for (int i = 0; i < 2; i++) {
                OptionSpec got = last.get(i);
                OptionSpec want = standard.get(i);
                String as = command.qualifiedName() + " " + want.longestName();
                assertThat(got.names()).as(as).containsExactly(want.names());
                assertThat(got.description()).as(as).containsExactly(want.description());
                assertThat(got.usageHelp()).as(as).isEqualTo(want.usageHelp());
                assertThat(got.versionHelp()).as(as).isEqualTo(want.versionHelp());
                assertThat(got.arity()).as(as).isEqualTo(want.arity());
                assertThat(got.type()).as(as).isEqualTo(want.type());
                assertThat(got.hidden()).as(as).isEqualTo(want.hidden());
                assertThat(got.order()).as(as).isEqualTo(want.order());
            }
            assertThat(options).as(command.qualifiedName()).filteredOn(OptionSpec::usageHelp).hasSize(1);
            assertThat(options).as(command.qualifiedName()).filteredOn(OptionSpec::versionHelp).hasSize(1);
        }
    }
}
