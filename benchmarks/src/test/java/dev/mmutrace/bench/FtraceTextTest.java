package dev.mmutrace.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.SetPmd;
import dev.mmutrace.trace.SetPte;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.WriteCr3;
import dev.mmutrace.trace.importer.ImportOptions;
import dev.mmutrace.trace.importer.ImportedTrace;
import dev.mmutrace.trace.ftrace.FtraceImporter;
import dev.mmutrace.trace.generate.WorkloadGenerator;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's ftrace renderer must produce lines the importer reads back as the events they
 * came from, or the import figure would time error paths rather than imports.
 */
class FtraceTextTest {

    @Test
    void knownLinesMatchTheKernelFormats() {
        FtraceText text = new FtraceText(PagingMode.FOUR_LEVEL);
        // event 1_234_567 -> 1.234567 s; the pointer is the direct map's 0xffff888000000000 + gpa
        assertThat(text.line(1_234_567, new SetPte(1, 0, 0x1234008L, 0x12345067L)))
                .isEqualTo("      mmutrace-4242    [001] d.... 1.234567: xen_mmu_set_pte: ptep ffff888001234008"
                        + " pteval 0000000012345067 (raw 0000000012345067)");
        assertThat(text.line(0, new WriteCr3(0, 0, 0x5000L, WriteCr3.Root.USER)))
                .endsWith("0.000000: xen_mmu_write_cr3: user cr3 5000");
    }

    @Test
    void aGeneratedTraceImportsBackEventForEvent() {
        WorkloadGenerator g = new WorkloadGenerator(BenchInputs.workload(1, 3000));
        FtraceText text = new FtraceText(PagingMode.FOUR_LEVEL);
        StringBuilder file = new StringBuilder();
        List<TraceEvent> rendered = new ArrayList<>();
        for (long i = 0; g.hasNext(); i++) {
            TraceEvent e = g.next();
            String line = text.line(i, e);
            if (line != null) {
                file.append(line).append('\n');
                rendered.add(e);
            }
        }
        ImportOptions options = ImportOptions.defaults(PagingMode.FOUR_LEVEL).withVcpus(g.header().vcpus())
                .withPfnLimit(g.header().pfnLimit());
        List<TraceEvent> imported = new ArrayList<>();
        try (ImportedTrace r = FtraceImporter.read(utf8(file.toString()), "bench.txt", options)) {
            r.forEachRemaining(imported::add);
        }
        assertThat(rendered).hasSizeGreaterThan(1000);
        assertThat(imported).hasSameSizeAs(rendered);
        for (int i = 0; i < rendered.size(); i++) {
            TraceEvent want = rendered.get(i);
            TraceEvent got = imported.get(i);
            assertThat(got.cpu()).isEqualTo(want.cpu());
            assertThat(got.type()).as("event %s: %s", i, want).isEqualTo(want.type());
            if (want instanceof SetPte s) {
                assertThat(((SetPte) got).entryGpa()).isEqualTo(s.entryGpa());
                assertThat(((SetPte) got).value()).isEqualTo(s.value());
            } else if (want instanceof SetPmd s) {
                assertThat(((SetPmd) got).entryGpa()).isEqualTo(s.entryGpa());
                assertThat(((SetPmd) got).value()).isEqualTo(s.value());
            }
        }
    }

    private static InputStream utf8(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
