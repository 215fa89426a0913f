package dev.mmutrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
}
