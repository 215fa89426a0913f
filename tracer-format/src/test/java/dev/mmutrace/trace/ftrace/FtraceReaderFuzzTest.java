package dev.mmutrace.trace.ftrace;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.Refusals;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.importer.ImportOptions;
import dev.mmutrace.trace.importer.ImportedTrace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the ftrace text importer (docs/reliability.md, Fuzzing): under any options (the
 * paging mode, a given or inferred vCPU count and pfn limit, the three leniency switches), any
 * bytes read from a file either import or stop with a {@link TraceInputException} whose message
 * is one line quoting at most 80 characters; the import summary can always be made. The input
 * goes through a file so the first pass, which infers what the options leave open, is fuzzed
 * too; the options are the input's first three bytes ({@link #options}). The same input cut into
 * 16-byte chunks (nearly every line scanned on its own) must give the same events, summary or
 * message as when read in one chunk: line numbers and order survive the parallel scan. Plain {@code mvn verify} runs the saved inputs under {@code FtraceReaderFuzzTestInputs}.
 */
class FtraceReaderFuzzTest {
    private static final int OPTION_BYTES = 3;

    @TempDir
    static Path dir;

    @FuzzTest
    @DictionaryEntries({"xen_mmu_set_pte: ", "xen_mmu_set_pte_at: ", "xen_mmu_set_pmd: ", "xen_mmu_set_pud: ",
        "xen_mmu_set_p4d: ", "xen_mmu_write_cr3: ", "xen_mmu_pgd_pin: ", "xen_mmu_pgd_unpin: ",
        "xen_mmu_alloc_ptpage: ", "xen_mmu_release_ptpage: ", "xen_mmu_flush_tlb_one_user: ",
        "xen_mmu_flush_tlb_multi: ", "xen_mmu_ptep_modify_prot_commit: ", "page_fault_user: ",
        "page_fault_kernel: ", " [000] ", " d.... ", "100.000001: ", "ptep ffff888001234008 ",
        "pteval 8000000012345067 ", "(raw ", "cr3 ", "address=0x", "error_code=0x", "#P:", "cpus=",
        "[FAILED TO PARSE]", "<idle>-0 "})
    void importsOrRefuses(byte[] data) throws IOException {
        if (data.length < OPTION_BYTES) {
            return;
        }
        byte[] text = Arrays.copyOfRange(data, OPTION_BYTES, data.length);
        Path file = Files.write(dir.resolve("fuzz.txt"), text);
        String whole = outcome(new FtraceImporter(), file, options(data), text);
        // cut into 16-byte chunks, nearly every line scanned apart from the one before: the same outcome
        assertThat(outcome(new FtraceImporter(16), file, options(data), text)).isEqualTo(whole);
    }

    /** The events and the summary, or the refusal's message. */
    private static String outcome(FtraceImporter importer, Path file, ImportOptions options, byte[] text) {
        List<TraceEvent> events = new ArrayList<>();
        try (ImportedTrace r = ImportedTrace.open(importer, file, options)) {
            r.forEachRemaining(events::add);
            return events + "\n" + r.summary().describe();
        } catch (TraceInputException refusal) {
            Refusals.check(refusal, text);
            return events + "\n" + refusal.getMessage();
        }
    }

    /**
     * The options, from the input's first three bytes (so a saved input is the text after them):
     * byte 0 holds the mode (its low two bits, mod 3), the three leniency switches (bits 2..4) and
     * whether the vCPU count and pfn limit are inferred (bits 5, 6); byte 1 the vCPU count (1..64),
     * byte 2 the pfn limit (1..256 times 4096 frames).
     */
    private static ImportOptions options(byte[] data) {
        int flags = data[0];
        PagingMode mode = PagingMode.values()[(flags & 3) % PagingMode.values().length];
        return ImportOptions.defaults(mode)
                .withKeepHashedPointers((flags & 4) != 0)
                .withAcceptRawValues((flags & 8) != 0)
                .withLegacyPtLevels((flags & 16) != 0)
                .withVcpus((flags & 32) != 0 ? ImportOptions.INFER : 1 + (data[1] & 63))
                .withPfnLimit((flags & 64) != 0 ? ImportOptions.INFER : ((data[2] & 0xff) + 1L) * 4096);
    }
}
