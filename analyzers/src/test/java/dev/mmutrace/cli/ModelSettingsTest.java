package dev.mmutrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.replay.ModelFactory;
import dev.mmutrace.replay.ModelSetting;
import dev.mmutrace.replay.Models;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code replay --set} takes only settings a model of the run reads (issue 15): a typo must not be
 * recorded in the report as if it had been applied. The known keys come from the model factories.
 */
class ModelSettingsTest extends CopiedSampleTest {
    @Test
    void anUnknownKeyOfAKnownModelIsRefusedWithItsKeys() throws IOException {
        assertRefused("--set lguest.pgdir=8: lguest has no setting 'lguest.pgdir' (it has lguest.pgdirs,"
                + " lguest.eviction, lguest.cr3_changed)", "--set", "lguest.pgdir=8");
        assertRefused("--set native.x=1: native has no setting 'native.x' (native takes none)", "--set", "native.x=1");
    }

    @Test
    void anUnknownModelIsRefusedWithTheModels() throws IOException {
        assertRefused("--set lgeust.pgdirs=8: no model 'lgeust' (this build has: lguest, native, xen)", "--set",
                "lgeust.pgdirs=8");
    }

    @Test
    void aSettingOfAModelNotInTheRunIsRefused() throws IOException {
        assertRefused("--set lguest.pgdirs=8: model lguest is not replayed in this run (--model lguest or all)",
                "--model", "xen", "--set", "lguest.pgdirs=8");
    }

    @Test
    void aFlagIsTrueOrFalseNotAnythingElseReadAsFalse() throws IOException {
        assertRefused("xen.io_rights must be true or false, got 'yes'", "--set", "xen.io_rights=yes");
    }

    @Test
    void aKnownSettingIsAppliedAndRecorded() {
        CliRunner r = CliRunner.run("replay", "--format", "json", "--set", "lguest.pgdirs=8", trace.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"settings\": {\n      \"lguest.pgdirs\": \"8\"\n    }");
    }

    @Test
    void everySettingIsInTheHelpAndInItsModelsDoc() throws IOException {
        String help = CliRunner.run("replay", "--help").out();
        List<ModelFactory> factories = List.copyOf(Models.available().values());
        assertThat(factories.stream().mapToInt(f -> f.settings().size()).sum()).isPositive();
        for (ModelFactory f : factories) {
            String doc = Files.readString(Path.of("..", "docs", "models", f.name() + ".md"));
            for (ModelSetting s : f.settings()) {
                assertThat(s.key()).startsWith(f.name() + ".");
                assertThat(help).contains("  " + s.key() + "=" + s.defaultValue() + " ");
                assertThat(doc).as(f.name() + ".md").contains("| `" + s.key() + "` | `" + s.defaultValue() + "` |");
            }
        }
    }

    private void assertRefused(String message, String... options) throws IOException {
        String[] args = Stream.concat(Stream.concat(Stream.of("replay"), Stream.of(options)), Stream.of(trace.toString()))
                .toArray(String[]::new);
        CliRunner r = CliRunner.run(args);
        assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
        assertThat(r.err()).isEqualTo("mmutrace: " + message + System.lineSeparator());
        assertThat(r.out()).isEmpty();
        assertThat(Files.readAllBytes(trace)).isEqualTo(traceBytes);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("x.csv");
        }
    }
}
