package dev.mmutrace.trace.ftrace;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.Refusals;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.importer.ImportOptions;
import dev.mmutrace.trace.importer.ImportedTrace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the ftrace text importer (docs/reliability.md, Fuzzing): under any options (the
 * paging mode, a given or inferred vCPU count and pfn limit, the three leniency switches), any
 * bytes read from a file either import or stop with a {@link TraceInputException} whose message
 * is one line quoting at most 80 characters; the import summary can always be made. The input
 * goes through a file so the first pass, which infers what the options leave open, is fuzzed
 * too; the options are the input's first three bytes ({@link #options}). Plain {@code mvn verify} runs the saved inputs under {@code FtraceReaderFuzzTestInputs}.
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
        try (ImportedTrace r = FtraceImporter.read(file, options(data))) {
            r.forEachRemaining(e -> { });
            r.summary();
        } catch (TraceInputException refusal) {
            Refusals.check(refusal, text);
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
