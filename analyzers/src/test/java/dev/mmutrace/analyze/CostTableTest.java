package dev.mmutrace.analyze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmutrace.trace.TraceInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CostTableTest {
    @TempDir
    Path dir;

    @Test
    void aFileOverridesOnlyTheKeysItNames() throws IOException {
        Path f = dir.resolve("costs.properties");
        Files.writeString(f, "# measured on a Nehalem box\nexit = 1_300\nipi=0\n");
        CostTable t = CostTable.load(f);
        // exit and ipi replaced; everything else keeps the docs/cost-model.md defaults.
        assertThat(t).isEqualTo(new CostTable(2000, 1300, 4000, 20, 500, 25, 0, 200));
    }

    @Test
    void unknownKeysAndBadNumbersNameTheFileAndTheKey() throws IOException {
        Path f = dir.resolve("bad.properties");
        Files.writeString(f, "exits=5\n");
        assertThatThrownBy(() -> CostTable.load(f)).isInstanceOf(TraceInputException.class)
                .hasMessageStartingWith(f + ": unknown cost 'exits' (known: exit, hypercall,");
        Files.writeString(f, "exit=fast\n");
        assertThatThrownBy(() -> CostTable.load(f)).isInstanceOf(TraceInputException.class)
                .hasMessage(f + ": cost 'exit' must be a whole number of cycles, got 'fast'");
        Files.writeString(f, "exit=-1\n");
        assertThatThrownBy(() -> CostTable.load(f)).hasMessage(f + ": cost 'exit' must be >= 0, got -1");
    }
}
