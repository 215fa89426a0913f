package dev.mmutrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import dev.mmutrace.replay.Models;
import dev.mmutrace.trace.generate.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HelpTextTest {

    /**
     * picocli formats descriptions with String.format and, when one does not format (a bare
     * '%p'), prints a warning to System.err itself, past the command's err writer; so the
     * process's own stderr is what has to stay clean.
     */
    @ParameterizedTest
    @ValueSource(strings = {"replay", "convert", "generate", "diff"})
    void helpFormatsWithoutPicocliWarnings(String command) {
        PrintStream realErr = System.err;
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        CliRunner run;
        try {
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            run = CliRunner.run(command, "--help");
        } finally {
            System.setErr(realErr);
        }
        assertThat(run.exit()).isZero();
        assertThat(stderr.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(run.err()).isEmpty();
    }

    @Test
    void convertHelpNamesThePrintkFormatOfHashedPointers() {
        assertThat(CliRunner.run("convert", "--help").out()).contains("accept hashed %p pointers");
    }

    @Test
    void diffHelpShowsThePercentThresholds() {
        assertThat(CliRunner.run("diff", "--help").out())
                .contains("wasted=+5%, exits.total=+5%, estimated_cycles=+5%")
                .contains("exits.total=-10%;");
    }

    /** The top-level list shows each command's first description line: a whole sentence, never cut. */
    @Test
    void everyCommandIsListedWithAWholeSentence() {
        String help = CliRunner.run("--help").out();
        String commands = help.substring(help.indexOf("Commands:"));
        for (String name : List.of("replay", "convert", "generate", "diff")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\n  " + name + " +([^\\n]*(\\n {14}[^\\n]*)*)")
                    .matcher(commands);
            assertThat(m.find()).as(name).isTrue();
            assertThat(m.group(1).replaceAll("\\s+", " ")).as(name).endsWith(".");
        }
    }

    @Test
    void replayHelpListsEveryModelOfTheBuildWithItsDescription() {
        String help = CliRunner.run("replay", "--help").out().replaceAll("\\s+", " ");
        assertThat(Models.available()).isNotEmpty();
        Models.available().forEach((name, f) -> {
            assertThat(f.description()).as(name).isNotEmpty();
            assertThat(help).contains(" " + name + " " + f.description());
        });
    }

    @Test
    void generateHelpDescribesEveryWorkload() {
        String help = CliRunner.run("generate", "--help").out().replaceAll("\\s+", " ");
        for (Workload w : Workload.values()) {
            assertThat(help).contains(" " + w.wireName() + " " + w.description());
        }
    }

    @Test
    void versionNamesTheCommitTheBuildRanOn() {
        CliRunner r = CliRunner.run("-V");
        assertThat(r.exit()).isZero();
        // In a git checkout the build filled in the commit (40 hex digits); outside one, "unknown".
        assertThat(r.out().trim())
                .matches("mmutrace [0-9][^ ]* \\(commit ([0-9a-f]{40}(, with uncommitted changes)?|unknown)\\)");
    }

    /**
     * A command line is given only the subcommands it can reach (Subcommands): {@code help replay}
     * reaches replay through help, so it prints what {@code replay --help} prints, the models and
     * settings sections included; the whole help still lists every command.
     */
    @Test
    void helpOfACommandIsTheSameWhicheverWayItIsAskedFor() {
        String direct = CliRunner.run("replay", "--help").out();
        assertThat(direct).contains("Models of this build (--model):").contains("Model settings (--set KEY=VALUE)");
        assertThat(CliRunner.run("help", "replay").out()).isEqualTo(direct);
        assertThat(CliRunner.run("help").out()).isEqualTo(CliRunner.run("--help").out());
    }

    /** -V asks for the version wherever it stands, also before a subcommand and its arguments. */
    @Test
    void versionBeforeASubcommandStillPrintsTheVersion() {
        CliRunner alone = CliRunner.run("--version");
        CliRunner before = CliRunner.run("-V", "replay", "x.csv");
        assertThat(before.exit()).isZero();
        assertThat(before.out()).isEqualTo(alone.out()).startsWith("mmutrace ");
    }

    @Test
    void aVersionFileTheBuildCouldNotFillSaysUnknown() {
        Properties built = new Properties();
        built.setProperty("version", "0.1.0");
        built.setProperty("commit", "${mmutrace.commit}");
        assertThat(Mmutrace.Version.line(built)).isEqualTo("mmutrace 0.1.0 (commit unknown)");
        built.setProperty("commit", "f9a77e1fb356a2dc3e4151282867275c817c7016-dirty");
        assertThat(Mmutrace.Version.line(built))
                .isEqualTo("mmutrace 0.1.0 (commit f9a77e1fb356a2dc3e4151282867275c817c7016, with uncommitted changes)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"replay --format pdf x.csv", "replay --model bogus x.csv", "replay --jobs 0 x.csv",
            "generate nosuch out.csv", "diff --format pdf a.json b.json", "replay", "bogus"})
    void usageErrorsAreOneLineEndingWithAHintToHelp(String line) {
        CliRunner r = CliRunner.run(line.split(" "));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err().trim()).startsWith("mmutrace: ").endsWith("--help')");
    }
}
