package dev.mmutrace.trace.ftrace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmutrace.trace.AllocPt;
import dev.mmutrace.trace.EventType;
import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.Gap;
import dev.mmutrace.trace.LazyMmu;
import dev.mmutrace.trace.PageFault;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.Pin;
import dev.mmutrace.trace.PtepModifyProt;
import dev.mmutrace.trace.ReleasePt;
import dev.mmutrace.trace.SetPgd;
import dev.mmutrace.trace.SetPmd;
import dev.mmutrace.trace.SetPte;
import dev.mmutrace.trace.SetPteAt;
import dev.mmutrace.trace.SetPud;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.importer.ImportOptions;
import dev.mmutrace.trace.importer.ImportSummary;
import dev.mmutrace.trace.importer.ImportedTrace;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.Unpin;
import dev.mmutrace.trace.WriteCr3;
import dev.mmutrace.trace.text.TextLines;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-written ftrace lines, shaped after the kernel's trace_print_context and trace-cmd's
 * trace_show_data (tracepoints.md §4) and each event's TP_printk (§1, §2). The default x86-64
 * direct map starts at 0xffff888000000000, so a pointer 0xffff888001234008 is gpa 0x1234008.
 */
class FtraceReaderTest {
    private static final ImportOptions X86_64 = ImportOptions.defaults(PagingMode.FOUR_LEVEL).withVcpus(8)
            .withPfnLimit(0x100000);

    private static List<TraceEvent> read(ImportOptions options, String... lines) {
        try (ImportedTrace r = FtraceImporter.read(utf8(String.join("\n", lines)), "t.txt", options)) {
            List<TraceEvent> out = new ArrayList<>();
            r.forEachRemaining(out::add);
            return out;
        }
    }

    private static TraceEvent one(String line) {
        List<TraceEvent> events = read(X86_64, line);
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    // --- line context variants ---

    @Test
    void newKernelLineWithFiveFlagsAndSevenDigitPid() {
        // 2616 s + 730120 us = 2616730120000 ns; the formatted value is used, not the raw one
        TraceEvent e = one("          <idle>-0       [001] d....  2616.730120: xen_mmu_set_pte:"
                + " ptep ffff888001234008 pteval 8000000012345067 (raw 80000000abcde067)");
        assertThat(e).isEqualTo(new SetPte(1, 2_616_730_120_000L, 0x1234008L, 0x8000000012345067L));
    }

    @Test
    void oldKernelLineWithFourFlagsAndFiveDigitPid() {
        TraceEvent e = one("            bash-930   [003] d...  6288.896762: page_fault_user:"
                + " address=0x55bc6c5557d0 ip=0x7ff74f7aa84c error_code=0x7");
        assertThat(e).isEqualTo(new PageFault(3, 6_288_896_762_000L, 0x55bc6c5557d0L, 7, 0x7ff74f7aa84cL));
    }

    @Test
    void tgidColumnFilledOrDashed() {
        List<TraceEvent> events = read(X86_64,
                "            bash-1234    (   1234) [000] .....   100.000001: xen_mmu_write_cr3: kernel cr3 1a2b000",
                "     kworker/0:1-17      (-------) [002] .N...   100.000002: xen_mmu_write_cr3: user cr3 0");
        assertThat(events).containsExactly(
                new WriteCr3(0, 100_000_001_000L, 0x1a2b000L, WriteCr3.Root.KERNEL),
                new WriteCr3(2, 100_000_002_000L, 0L, WriteCr3.Root.USER));
    }

    @Test
    void taskNamesWithSpacesAndDashesSplitAtTheLastDash() {
        TraceEvent e = one("     CPU 5/KVM-a-b-4145    [002] .....    86.581928: xen_mmu_flush_tlb_one_user:"
                + " addr 7f08a4602000");
        assertThat(e).isEqualTo(FlushTlb.one(2, 86_581_928_000L, 0x7f08a4602000L));
    }

    @Test
    void traceCmdReportWithoutFlagsNanosecondsAndPaddedName() {
        // trace-cmd <= 3.2: no flags column; libtraceevent prints %p as 0x..., names padded to 20
        TraceEvent e = one("  rm-5298  [001]  6084.533748493: xen_mmu_pgd_pin:      mm 0xffff888003c1d000"
                + " pgd 0xffff888004000000");
        assertThat(e).isEqualTo(new Pin(1, 6_084_533_748_493L, 0x4000000L, 4));
    }

    @Test
    void traceCmdReportWithFlagsColumn() {
        TraceEvent e = one("            bash-930   [003] d..2.  6288.896762: xen_mmu_flush_tlb_all: ");
        assertThat(e).isEqualTo(FlushTlb.all(3, 6_288_896_762_000L));
    }

    @Test
    void commentsPreambleAndBlankLinesAreSkippedAndCounted() {
        String[] lines = {
                "version = 6", "CPU 3 is empty", "cpus=6",
                "# tracer: nop", "#", "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION", "",
                "            bash-930   [003] d.... 1.000000: xen_mmu_flush_tlb: "};
        try (ImportedTrace r = FtraceImporter.read(utf8(String.join("\n", lines)), "t.txt",
                ImportOptions.defaults(PagingMode.FOUR_LEVEL).withPfnLimit(16))) {
            // cpus=6 in trace-cmd's preamble gives the vCPU count
            assertThat(r.header().vcpus()).isEqualTo(6);
            assertThat(r.next()).isEqualTo(FlushTlb.user(3, 1_000_000_000L));
            assertThat(r.hasNext()).isFalse();
            ImportSummary s = r.summary();
            assertThat(s.lines()).isEqualTo(8);
            assertThat(s.skipped()).containsEntry("comment, header and blank lines", 4L)
                    .containsEntry("lines that are not events (trace-cmd preamble, other tracers' output)", 3L);
        }
    }

    // --- every event ---

    @Test
    void setPteAtResolvesItsMmThroughThePinThatNamedIt() {
        List<TraceEvent> events = read(X86_64,
                "  bash-1 [000] d.... 1.000000: xen_mmu_pgd_pin: mm ffff888003c1d000 pgd ffff888004000000",
                "  bash-1 [000] d.... 1.000001: xen_mmu_set_pte_at: mm ffff888003c1d000 addr 7f0000001000"
                        + " ptep ffff888004003008 pteval 0000000012345067 (raw 0000000abcdef067)",
                "  bash-1 [000] d.... 1.000002: xen_mmu_ptep_modify_prot_commit: mm ffff888003c1d000"
                        + " addr 7f0000001000 ptep ffff888004003008 pteval 8000000012345065 (raw 0)",
                "  bash-1 [000] d.... 1.000003: xen_mmu_pgd_unpin: mm ffff888003c1d000 pgd ffff888004000000");
        assertThat(events).containsExactly(
                new Pin(0, 1_000_000_000L, 0x4000000L, 4),
                new SetPteAt(0, 1_000_001_000L, 0x4000000L, 0x7f0000001000L, 0x4003008L, 0x12345067L),
                new PtepModifyProt(0, 1_000_002_000L, 0x4000000L, 0x7f0000001000L, 0x4003008L, 0x8000000012345065L),
                new Unpin(0, 1_000_003_000L, 0x4000000L, 4));
    }

    @Test
    void setPteAtOfAnUnknownMmTakesTheCurrentCr3OrBecomesSetPte() {
        List<TraceEvent> events = read(X86_64,
                "  a-1 [000] d.... 1.000000: xen_mmu_set_pte_at: mm ffff888003c1d000 addr 1000"
                        + " ptep ffff888004003008 pteval 0000000012345067 (raw 0)",
                "  a-1 [000] d.... 1.000001: xen_mmu_write_cr3: kernel cr3 5000000",
                "  a-1 [000] d.... 1.000002: xen_mmu_set_pte_at: mm ffff888003c1d000 addr 1000"
                        + " ptep ffff888004003008 pteval 0000000012345067 (raw 0)");
        // no pin named the mm: before any cr3 there is no mm to give (set_pte); after it, the cpu's cr3
        assertThat(events).containsExactly(
                new SetPte(0, 1_000_000_000L, 0x4003008L, 0x12345067L),
                new WriteCr3(0, 1_000_001_000L, 0x5000000L, WriteCr3.Root.KERNEL),
                new SetPteAt(0, 1_000_002_000L, 0x5000000L, 0x1000L, 0x4003008L, 0x12345067L));
    }

    @Test
    void upperLevelSetsAndClears() {
        List<TraceEvent> events = read(X86_64,
                "  a-1 [000] d.... 1.0: xen_mmu_set_pmd: pmdp ffff888004002ff8 pmdval 0000000004003067 (raw 0)",
                "  a-1 [000] d.... 1.0: xen_mmu_set_pud: pudp ffff888004001000 pudval 0000000004002067 (raw 0)",
                "  a-1 [000] d.... 1.0: xen_mmu_set_p4d: p4dp ffff888004000008 user_p4dp ffff888004010008"
                        + " p4dval 0000000004001067 (raw 0)",
                "  a-1 [000] d.... 1.0: xen_mmu_set_p4d: p4dp ffff888004000ff8 user_p4dp (null)"
                        + " p4dval 0000000004005067 (raw 0)",
                "  a-1 [000] d.... 1.0: xen_mmu_pmd_clear: pmdp ffff888004002ff8",
                "  a-1 [000] d.... 1.0: xen_mmu_pud_clear: pudp ffff888004001000",
                "  a-1 [000] d.... 1.0: xen_mmu_pgd_clear: pgdp ffff888004000008");
        assertThat(events).containsExactly(
                new SetPmd(0, 1_000_000_000L, 0x4002ff8L, 0x4003067L),
                new SetPud(0, 1_000_000_000L, 0x4001000L, 0x4002067L),
                new SetPgd(0, 1_000_000_000L, 0x4000008L, 0x4001067L, 0x4010008L),
                new SetPgd(0, 1_000_000_000L, 0x4000ff8L, 0x4005067L, TraceEvent.NO_ADDRESS),
                new SetPmd(0, 1_000_000_000L, 0x4002ff8L, 0),
                new SetPud(0, 1_000_000_000L, 0x4001000L, 0),
                new SetPgd(0, 1_000_000_000L, 0x4000008L, 0, TraceEvent.NO_ADDRESS));
    }

    @Test
    void oldSetPgdBeforeItWasRenamedSetP4d() {
        TraceEvent e = one("  a-1 [000] d... 1.0: xen_mmu_set_pgd: pgdp ffff888004000000 user_pgdp ffff888004010000"
                + " pgdval 0000000004002067 (raw 0000000abcdef067)");
        assertThat(e).isEqualTo(new SetPgd(0, 1_000_000_000L, 0x4000000L, 0x4002067L, 0x4010000L));
    }

    @Test
    void allocAndReleasePtpageLevelsFollowTheKernelsEnum() {
        // Linux >= 4.12: PT_PGD 0, PT_P4D 1, PT_PUD 2, PT_PMD 3, PT_PTE 4 -> PTE page is L1, PMD page is L2
        List<TraceEvent> events = read(X86_64,
                "  a-1 [000] d.... 1.0: xen_mmu_alloc_ptpage: mm ffff888003c1d000  pfn 4003  level 4  pinned",
                "  a-1 [000] d.... 1.0: xen_mmu_alloc_ptpage: mm ffff888003c1d000  pfn 4002  level 3  unpinned",
                "  a-1 [000] d.... 1.0: xen_mmu_release_ptpage: pfn 4003  level 4  pinned");
        assertThat(events).containsExactly(
                new AllocPt(0, 1_000_000_000L, 0x4003, 1, true),
                new AllocPt(0, 1_000_000_000L, 0x4002, 2, false),
                new ReleasePt(0, 1_000_000_000L, 0x4003, 1, true));
        // before 4.12 (PT_PGD 0, PT_PUD 1, PT_PMD 2, PT_PTE 3) the same "level 3" is a PTE page
        TraceEvent legacy = read(X86_64.withLegacyPtLevels(true),
                "  a-1 [000] d... 1.0: xen_mmu_alloc_ptpage: mm ffff888003c1d000  pfn 4003  level 3  pinned").get(0);
        assertThat(legacy).isEqualTo(new AllocPt(0, 1_000_000_000L, 0x4003, 1, true));
    }

    @Test
    void flushVariantsAcrossKernelVersions() {
        List<TraceEvent> events = read(X86_64,
                "  a-1 [000] d... 1.0: xen_mmu_flush_tlb: ",
                "  a-1 [000] d... 1.0: xen_mmu_flush_tlb_single: addr 7f0000001000",
                "  a-1 [000] d... 1.0: xen_mmu_flush_tlb_others: ncpus 3 mm ffff888003c1d000 addr 7f0000000000,"
                        + " end 7f0000004000",
                "  a-1 [000] d.... 1.0: xen_mmu_flush_tlb_multi: ncpus 1 mm (null) addr 0, end ffffffffffffffff",
                "  a-1 [000] d.... 1.0: xen_mmu_flush_tlb_one_user: addr ffffc90000001000");
        assertThat(events).containsExactly(
                FlushTlb.user(0, 1_000_000_000L),
                FlushTlb.one(0, 1_000_000_000L, 0x7f0000001000L),
                // mm never pinned: no table known for it
                new FlushTlb(0, 1_000_000_000L, FlushTlb.Scope.MULTI, 0x7f0000000000L, 0x7f0000004000L, 0, 3,
                        TraceEvent.NO_ADDRESS),
                // end TLB_FLUSH_ALL (all ones): the whole address space
                new FlushTlb(0, 1_000_000_000L, FlushTlb.Scope.MULTI, TraceEvent.NO_ADDRESS, TraceEvent.NO_ADDRESS,
                        0, 1, TraceEvent.NO_ADDRESS),
                // a kernel vaddr stays canonical (negative as a Java long)
                FlushTlb.one(0, 1_000_000_000L, 0xffffc90000001000L));
    }

    @Test
    void lazyMmuWindowsFromTheModeEachBatchPrints() {
        List<TraceEvent> events = read(X86_64,
                "  a-1 [000] d... 1.0: xen_mc_batch: start batch LAZY_MMU",
                "  a-1 [000] d... 1.0: xen_mc_issue: start batch LAZY_MMU",
                "  a-1 [000] d... 1.0: xen_mc_batch: start batch LAZY_MMU",
                "  a-1 [000] d... 1.0: xen_mc_batch: start batch LAZY_NONE",
                "  a-1 [001] d.... 1.0: xen_mc_issue: flush: no, flags 246",
                "  a-1 [001] d.... 1.0: xen_mc_batch: start batch lazy flags 246",
                "  a-1 [001] d.... 1.0: xen_mc_issue: flush: yes, flags 246");
        // <= 7.1: first LAZY_MMU batch opens, first LAZY_NONE closes; issue (shared class) prints its
        // argument, not the state. 7.2: "flush: no" means the batch waits for the window's end.
        assertThat(events).containsExactly(
                new LazyMmu(0, 1_000_000_000L, LazyMmu.Phase.ENTER),
                new LazyMmu(0, 1_000_000_000L, LazyMmu.Phase.LEAVE),
                new LazyMmu(1, 1_000_000_000L, LazyMmu.Phase.ENTER),
                new LazyMmu(1, 1_000_000_000L, LazyMmu.Phase.LEAVE));
    }

    @Test
    void pageFaultKernelWithSymbolicIpKeepsTheAddress() {
        try (ImportedTrace r = FtraceImporter.read(utf8(
                "  a-1 [000] d.... 1.0: page_fault_kernel: address=0xffff888004000000 ip=clear_page_erms"
                        + " error_code=0x3\n"
                        + "  a-1 [000] d.... 1.0: page_fault_kernel: address=init_task ip=0x1 error_code=0x3"),
                "t.txt", X86_64)) {
            assertThat(r.next()).isEqualTo(new PageFault(0, 1_000_000_000L, 0xffff888004000000L, 3, 0));
            assertThat(r.hasNext()).isFalse();
            assertThat(r.summary().approximated()).containsEntry(
                    "page_fault_kernel: ip printed as a kernel symbol, imported as 0 (unknown)", 1L);
            assertThat(r.summary().skipped()).containsEntry(
                    "page_fault_kernel: address printed as a kernel symbol (%ps), its number is lost", 1L);
        }
    }

    @Test
    void unknownAndBookkeepingEventsAreSkippedAndCountedByName() {
        try (ImportedTrace r = FtraceImporter.read(utf8(String.join("\n",
                "  a-1 [000] d.... 1.0: sched_switch: prev_comm=a prev_pid=1 ==> next_comm=b next_pid=2",
                "  a-1 [000] d.... 1.0: sched_switch: prev_comm=b prev_pid=2 ==> next_comm=a next_pid=1",
                "  a-1 [000] d.... 1.0: xen_mc_entry: op 1(mmu_update) args [1, 2, 3, 4, 5, 6]",
                "  a-1 [000] d.... 1.0: xen_mmu_ptep_modify_prot_start: mm ffff888003c1d000 addr 1000"
                        + " ptep ffff888004003008 pteval 0 (raw 0)")), "t.txt", X86_64)) {
            assertThat(r.hasNext()).isFalse();
            assertThat(r.summary().skipped())
                    .containsEntry("sched_switch: not an MMU event this importer knows", 2L)
                    .containsEntry("xen_mc_entry: Xen bookkeeping with no MMU request of its own", 1L)
                    .containsEntry("xen_mmu_ptep_modify_prot_start: reads the entry; the commit carries the update",
                            1L);
            assertThat(r.summary().events()).isZero();
        }
    }

    // --- trace-cmd's fallback ---

    @Test
    void failedToParseFallbackReadsKeyValueFields() {
        // libtraceevent prints pointers and longs as 0x-hex, other integers in decimal
        List<TraceEvent> events = read(X86_64,
                "  a-1 [001]  6084.533748493: xen_mmu_write_cr3:    [FAILED TO PARSE] kernel=1 cr3=0x4000000",
                "  a-1 [001]  6084.533748493: xen_mmu_alloc_ptpage: [FAILED TO PARSE] mm=0xffff888003c1d000"
                        + " pfn=0x4003 level=4 pinned=0",
                "  a-1 [001]  6084.533748493: xen_mc_batch:         [FAILED TO PARSE] mode=1",
                "  a-1 [001]  6084.533748493: xen_mmu_flush_tlb_multi: [FAILED TO PARSE] ncpus=2"
                        + " mm=0xffff888003c1d000 addr=0x7f0000000000 end=0x7f0000002000");
        assertThat(events).containsExactly(
                new WriteCr3(1, 6_084_533_748_493L, 0x4000000L, WriteCr3.Root.KERNEL),
                new AllocPt(1, 6_084_533_748_493L, 0x4003, 1, false),
                new LazyMmu(1, 6_084_533_748_493L, LazyMmu.Phase.ENTER),
                new FlushTlb(1, 6_084_533_748_493L, FlushTlb.Scope.MULTI, 0x7f0000000000L, 0x7f0000002000L, 0, 2,
                        TraceEvent.NO_ADDRESS));
    }

    @Test
    void failedToParseEntryValuesAreRawAndRefusedUnlessAccepted() {
        // pteval=305418343 is decimal 0x12345067 (0x12345000 = 305418240, + 0x67 = 103)
        String line = "  a-1 [001]  6084.533748493: xen_mmu_set_pte:      [FAILED TO PARSE]"
                + " ptep=0xffff888001234008 pteval=305418343";
        assertThatThrownBy(() -> read(X86_64, "# tracer: nop", line))
                .isInstanceOf(TraceInputException.class)
                .hasMessageContaining("t.txt: line 2: field 'pteval'")
                .hasMessageContaining("raw (machine-frame)")
                .hasMessageContaining("--accept-raw-values");
        assertThat(read(X86_64.withAcceptRawValues(true), line))
                .containsExactly(new SetPte(1, 6_084_533_748_493L, 0x1234008L, 0x12345067L));
    }

    // --- pointers ---

    @Test
    void hashedPointersAreRefusedWithTheFix() {
        // a 64-bit hash prints with its upper 32 bits zero: no direct-map pointer looks like that
        assertThatThrownBy(() -> read(X86_64, "# c", "# c",
                "  a-1 [000] d.... 1.0: xen_mmu_set_pte: ptep 00000000b1d2f3a4 pteval 0000000012345067 (raw 0)"))
                .isInstanceOf(TraceInputException.class)
                .hasMessageContaining("line 3: field 'ptep'")
                .hasMessageContaining("hashed")
                .hasMessageContaining("echo 0 > /sys/kernel/tracing/options/hash-ptr")
                .hasMessageContaining("5.12");
        assertThatThrownBy(() -> read(X86_64,
                "  a-1 [000] d.... 1.0: xen_mmu_pgd_pin: mm (____ptrval____) pgd (____ptrval____)"))
                .isInstanceOf(TraceInputException.class).hasMessageContaining("hash-ptr");
    }

    @Test
    void hashedPointersKeptAsOpaqueIdentities() {
        // each distinct hash gets a frame of its own in order of first appearance: 0, 1, then 0 again
        List<TraceEvent> events = read(X86_64.withKeepHashedPointers(true),
                "  a-1 [000] d.... 1.0: xen_mmu_set_pte: ptep 00000000b1d2f3a4 pteval 0000000012345067 (raw 0)",
                "  a-1 [000] d.... 1.0: xen_mmu_set_pte: ptep 000000000badcafe pteval 0000000012345067 (raw 0)",
                "  a-1 [000] d.... 1.0: xen_mmu_set_pte: ptep 00000000b1d2f3a4 pteval 0000000000000000 (raw 0)");
        assertThat(events).containsExactly(
                new SetPte(0, 1_000_000_000L, 0x0L, 0x12345067L),
                new SetPte(0, 1_000_000_000L, 0x1000L, 0x12345067L),
                new SetPte(0, 1_000_000_000L, 0x0L, 0));
        // more distinct pointers than frames is refused
        assertThatThrownBy(() -> read(X86_64.withKeepHashedPointers(true).withPfnLimit(1),
                "  a-1 [000] d.... 1.0: xen_mmu_set_pte: ptep 00000000b1d2f3a4 pteval 0 (raw 0)",
                "  a-1 [000] d.... 1.0: xen_mmu_set_pte: ptep 000000000badcafe pteval 0 (raw 0)"))
                .isInstanceOf(TraceInputException.class)
                .hasMessageContaining("line 2: field 'ptep'").hasMessageContaining("pfn_limit");
    }

    @Test
    void thirtyTwoBitPointersBelowTheDirectMapAreRefused() {
        ImportOptions pae = ImportOptions.defaults(PagingMode.PAE).withVcpus(1).withPfnLimit(0x40000);
        assertThatThrownBy(() -> read(pae,
                "  a-1 [000] d... 1.0: xen_mmu_set_pte: ptep 1234abc8 pteval 0000000012345067 (raw 0)"))
                .isInstanceOf(TraceInputException.class)
                .hasMessageContaining("below the direct-map base c0000000")
                .hasMessageContaining("hash-ptr");
        // PAGE_OFFSET 0xc0000000: 0xc1234008 is gpa 0x1234008
        assertThat(read(pae, "  a-1 [000] d... 1.0: xen_mmu_set_pte: ptep c1234008 pteval 0000000012345067 (raw 0)"))
                .containsExactly(new SetPte(0, 1_000_000_000L, 0x1234008L, 0x12345067L));
    }

    @Test
    void aSixtyFourBitPointerInAThirtyTwoBitModeIsRefusedNotACrash() {
        // 0xffff888001234008 - 0xc0000000 = 0xffff887f41234008: bit 63 set, no gpa at all (this
        // once reached the exception without a problem text, a NullPointerException)
        ImportOptions pae = ImportOptions.defaults(PagingMode.PAE).withVcpus(1).withPfnLimit(0x40000);
        assertThatThrownBy(() -> read(pae,
                "  a-1 [000] d... 1.0: xen_mmu_set_pte: ptep ffff888001234008 pteval 0000000012345067 (raw 0)"))
                .isInstanceOf(TraceInputException.class)
                .hasMessage("t.txt: line 1: field 'ptep': pointer ffff888001234008 is not in the direct map at"
                        + " c0000000 (give --direct-map-base)");
    }

    @Test
    void twoLevelEntriesAreFourBytesWide() {
        ImportOptions twoLevel = ImportOptions.defaults(PagingMode.TWO_LEVEL).withVcpus(1).withPfnLimit(0x40000);
        assertThat(read(twoLevel, "  a-1 [000] d... 1.0: xen_mmu_set_pte: ptep c1234004 pteval 01234067 (raw 0abc1067)"))
                .containsExactly(new SetPte(0, 1_000_000_000L, 0x1234004L, 0x1234067L));
        assertThatThrownBy(() -> read(twoLevel,
                "  a-1 [000] d... 1.0: xen_mmu_set_pte: ptep c1234006 pteval 01234067 (raw 0abc1067)"))
                .isInstanceOf(TraceInputException.class).hasMessageContaining("not aligned to 4 bytes");
    }

    @Test
    void kaslrDirectMapBaseGivenByTheUser() {
        TraceEvent e = read(X86_64.withDirectMapBase(0xffff9a0000000000L),
                "  a-1 [000] d.... 1.0: xen_mmu_set_pte: ptep ffff9a0001234008 pteval 0000000012345067 (raw 0)")
                .get(0);
        assertThat(e).isEqualTo(new SetPte(0, 1_000_000_000L, 0x1234008L, 0x12345067L));
    }

    // --- malformed lines ---

    @Test
    void malformedLinesOfKnownEventsNameTheLineAndField() {
        assertThatThrownBy(() -> read(X86_64, "# c",
                "  a-1 [000] d.... 1.0: xen_mmu_set_pte: ptep ffff888001234008 pteval 80zz (raw 0)"))
                .isInstanceOf(TraceInputException.class)
                .hasMessage("t.txt: line 2: field 'pteval': bad hex '80zz'");
        assertThatThrownBy(() -> read(X86_64,
                "  a-1 [000] d.... 1.0: xen_mmu_set_pmd: pmdval 0000000004003067 (raw 0)"))
                .isInstanceOf(TraceInputException.class)
                .hasMessageStartingWith("t.txt: line 1: field 'pmdp': missing");
        assertThatThrownBy(() -> read(X86_64, "", "", "garbage xen_mmu_set_pte: ptep 1 pteval 2"))
                .isInstanceOf(TraceInputException.class)
                .hasMessageStartingWith("t.txt: line 3: field 'context'");
        assertThatThrownBy(() -> read(X86_64,
                "  a-1 [000] d.... 1.0: xen_mmu_alloc_ptpage: mm ffff888003c1d000  pfn 4003  level 9  pinned"))
                .isInstanceOf(TraceInputException.class)
                .hasMessageStartingWith("t.txt: line 1: field 'level'");
        assertThatThrownBy(() -> read(X86_64,
                "  a-1 [000] d.... 1.0: xen_mmu_flush_tlb_one_user: addr 800000001000"))
                .isInstanceOf(TraceInputException.class)
                .hasMessage("t.txt: line 1: field 'addr': vaddr 800000001000 is not a canonical 48-bit address");
        // a slot beyond guest memory: the shared event validator, at the ftrace line
        assertThatThrownBy(() -> read(X86_64.withPfnLimit(0x100),
                "  a-1 [000] d.... 1.0: xen_mmu_set_pte: ptep ffff888001234008 pteval 0 (raw 0)"))
                .isInstanceOf(TraceInputException.class)
                .hasMessageStartingWith("t.txt: line 1: field 'entry_gpa': 0x1234008 lies beyond guest memory");
        assertThatThrownBy(() -> read(X86_64,
                "  a-1 [009] d.... 1.0: xen_mmu_flush_tlb: "))
                .isInstanceOf(TraceInputException.class)
                .hasMessageStartingWith("t.txt: line 1: field 'cpu': cpu 9 but the trace has 8 vCPUs");
    }

    // --- files read as bytes ---

    @Test
    void crlfLinesWithoutAFinalNewlineAndABadHexNamingItsLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.txt");
        // Windows line ends, and none after the last line: the same three lines as with \n. A token
        // starting with a digit is a value, so "80000000002000zz" is a bad one (not a key word)
        Files.writeString(file, "# tracer: nop\r\n"
                + "  a-1 [000] d.... 1.0: xen_mmu_write_cr3: kernel cr3 5000000\r\n"
                + "  a-1 [000] d.... 1.0: xen_mmu_set_pte: ptep ffff888001234008 pteval 80000000002000zz (raw 0)");
        assertThatThrownBy(() -> {
            try (ImportedTrace r = FtraceImporter.read(file, X86_64)) {
                assertThat(r.next()).isEqualTo(new WriteCr3(0, 1_000_000_000L, 0x5000000L, WriteCr3.Root.KERNEL));
                r.next();
            }
        }).isInstanceOf(TraceInputException.class)
                .hasMessage(file + ": line 3: field 'pteval': bad hex '80000000002000zz'");
        // 17 digits cannot be a 64-bit value
        Files.writeString(file, "  a-1 [000] d.... 1.0: xen_mmu_set_pte: ptep ffff888001234008"
                + " pteval 18000000000200067 (raw 0)\r\n");
        assertThatThrownBy(() -> {
            try (ImportedTrace r = FtraceImporter.read(file, X86_64)) {
                r.next();
            }
        }).isInstanceOf(TraceInputException.class)
                .hasMessage(file + ": line 1: field 'pteval': bad hex '18000000000200067'");
    }

    @Test
    void linesAcrossTheReadBufferAndOneLongerThanIt(@TempDir Path dir) throws IOException {
        // 4000 lines of about 100 bytes cross the 256 KiB read buffer (a line straddles it near
        // line 2600); a 300,000-byte comment line before them is longer than the whole buffer.
        // Line k (from 0) sets the entry at gpa 0x1000 + 8k to value k << 12 | 0x67.
        StringBuilder text = new StringBuilder("#").append("x".repeat(300_000)).append('\n');
        for (int k = 0; k < 4000; k++) {
            text.append(String.format("  a-1 [001] d.... 1.%06d: xen_mmu_set_pte: ptep %x pteval %016x (raw 0)%n",
                    k, 0xffff888000001000L + 8L * k, ((long) k << 12) | 0x67));
        }
        Path file = dir.resolve("big.txt");
        Files.writeString(file, text);
        assertThat(Files.size(file)).isGreaterThan(2L * TextLines.BUFFER_BYTES);
        try (ImportedTrace r = FtraceImporter.read(file, X86_64)) {
            for (int k = 0; k < 4000; k++) {
                assertThat(r.next()).isEqualTo(new SetPte(1, 1_000_000_000L + 1000L * k, 0x1000L + 8L * k,
                        ((long) k << 12) | 0x67));
            }
            assertThat(r.hasNext()).isFalse();
            assertThat(r.summary().lines()).isEqualTo(4001);
        }
    }

    @Test
    void smallChunksImportTheSameEventsAndNameTheSameLines(@TempDir Path dir) throws IOException {
        // a comment, then 3000 set_pte lines of about 100 bytes, cut into 64-byte chunks (each chunk grows
        // to hold one or two lines, so nearly every line starts a chunk of its own and is scanned
        // apart from the one before). Line k + 2 (k from 0) sets gpa 0x1000 + 8k to k << 12 | 0x67; on
        // line 2502 (k = 2500) the value is damaged.
        StringBuilder text = new StringBuilder("# tracer: nop\n");
        for (int k = 0; k < 3000; k++) {
            String value = k == 2500 ? "00000000009c4zz7" : String.format("%016x", ((long) k << 12) | 0x67);
            text.append(String.format("  a-1 [001] d.... 1.%06d: xen_mmu_set_pte: ptep %x pteval %s (raw 0)%s",
                    k, 0xffff888000001000L + 8L * k, value, k % 3 == 0 ? "\r\n" : "\n"));
        }
        Path file = dir.resolve("chunks.txt");
        Files.writeString(file, text);
        assertThatThrownBy(() -> {
            try (ImportedTrace r = ImportedTrace.open(new FtraceImporter(64), file, X86_64)) {
                r.forEachRemaining(e -> { });
            }
        }).isInstanceOf(TraceInputException.class)
                .hasMessage(file + ": line 2502: field 'pteval': bad hex '00000000009c4zz7'");
        // from a stream, in one pass, lenient: every other line imported, the damaged one counted
        try (ImportedTrace r = ImportedTrace.open(new FtraceImporter(64), Files.newInputStream(file), "t.txt",
                X86_64.withLenient(true))) {
            for (int k = 0; k < 3000; k++) {
                if (k != 2500) {
                    assertThat(r.next()).isEqualTo(new SetPte(1, 1_000_000_000L + 1000L * k, 0x1000L + 8L * k,
                            ((long) k << 12) | 0x67));
                }
            }
            assertThat(r.hasNext()).isFalse();
            assertThat(r.summary().lines()).isEqualTo(3001);
            assertThat(r.summary().skipped()).containsEntry("damaged or cut lines (--lenient), the first at line"
                    + " 2502, field 'pteval': bad hex '00000000009c4zz7'", 1L);
        }
    }

    // --- header ---

    @Test
    void headerFromOptionsOrFromAFirstPass(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("trace.txt");
        Files.writeString(file, String.join("\n",
                "  a-1 [002] d.... 1.0: xen_mmu_write_cr3: kernel cr3 5000000",
                "  a-1 [000] d.... 1.0: xen_mmu_set_pte: ptep ffff888001234008 pteval 0000000012345067 (raw 0)"));
        try (ImportedTrace r = FtraceImporter.read(file, ImportOptions.defaults(PagingMode.FOUR_LEVEL))) {
            // highest cpu 2 -> 3 vCPUs; highest pfn named is the value's 0x12345 -> limit 0x12346
            assertThat(r.header().vcpus()).isEqualTo(3);
            assertThat(r.header().pfnLimit()).isEqualTo(0x12346L);
            assertThat(r.header().pagingMode()).isEqualTo(PagingMode.FOUR_LEVEL);
            assertThat(r.header().accessMode()).isEqualTo(dev.mmutrace.trace.AccessMode.IMPLIED);
            // a kernel trace starts mid-run: entries it never wrote are unknown, not empty
            assertThat(r.header().initialMemory()).isEqualTo(dev.mmutrace.trace.InitialMemory.UNKNOWN);
            assertThat(r.summary().vcpusFrom()).contains("first pass");
        }
        try (ImportedTrace r = FtraceImporter.read(file, X86_64)) {
            assertThat(r.header().vcpus()).isEqualTo(8);
            assertThat(r.header().pfnLimit()).isEqualTo(0x100000L);
        }
    }

    @Test
    void kernelTracePreambleGivesTheCpuCount() {
        try (ImportedTrace r = FtraceImporter.read(utf8(String.join("\n",
                "# tracer: nop", "#", "# entries-in-buffer/entries-written: 1/1   #P:4", "#",
                "  a-1 [003] d.... 1.0: xen_mmu_flush_tlb: ")), "t.txt",
                ImportOptions.defaults(PagingMode.FOUR_LEVEL).withPfnLimit(16))) {
            assertThat(r.header().vcpus()).isEqualTo(4);
            assertThat(r.next()).isEqualTo(FlushTlb.user(3, 1_000_000_000L));
        }
    }

    @Test
    void lostEventLinesBecomeGapsOnTheirCpuWhereTheyStand() {
        // every form the kernel and trace-cmd print (FtraceText's comment names them): the gaps come
        // out in line order, each on the cpu its line names, with the count it gives or none
        try (ImportedTrace r = FtraceImporter.read(utf8(String.join("\n",
                "CPU:1 [LOST 5 EVENTS]",
                "  a-1 [001] d.... 1.0: xen_mmu_flush_tlb: ",
                "CPU:1 [7 EVENTS DROPPED]",
                "CPU:0 [LOST EVENTS]",
                "  a-1 [000] d.... 2.0: xen_mmu_flush_tlb: ",
                "CPU:0 [EVENTS DROPPED]",
                // a kernel before 5.8 printed (unsigned long)-1 for "unknown"
                "CPU:1 [LOST 18446744073709551615 EVENTS]",
                "  a-1 [001] d.... 3.0: xen_mmu_flush_tlb: ")), "t.txt", X86_64)) {
            List<TraceEvent> events = new ArrayList<>();
            r.forEachRemaining(events::add);
            assertThat(events).containsExactly(
                    Gap.of(1, -1, 5), FlushTlb.user(1, 1_000_000_000L),
                    Gap.of(1, -1, 7), Gap.ofUnknownSize(0, -1), FlushTlb.user(0, 2_000_000_000L),
                    Gap.ofUnknownSize(0, -1), Gap.ofUnknownSize(1, -1), FlushTlb.user(1, 3_000_000_000L));
            assertThat(r.summary().approximated())
                    .containsEntry("cpu 1: gaps where the tracer lost events (its state is unknown after each)", 3L)
                    .containsEntry("cpu 1: events the tracer lost in those gaps (where it gave a count)", 12L)
                    .containsEntry("cpu 0: gaps where the tracer lost events (its state is unknown after each)", 2L)
                    .doesNotContainKey("cpu 0: events the tracer lost in those gaps (where it gave a count)");
            assertThat(r.summary().emitted()).containsEntry("gap", 5L).containsEntry("flush_tlb", 3L);
        }
    }

    @Test
    void gapForgetsTheCpusCr3AndLazyWindow() {
        // before the gap, cpu 0's kernel cr3 stands in for an mm never pinned (a set_pte_at); after
        // it that cr3 is unknown, so the same update can only be a set_pte. The lazy window open
        // before the gap is closed by it: the next LAZY_MMU batch opens a new one (an enter again).
        String pte = "ptep ffff888004003008 pteval 0000000012345067 (raw 0)";
        try (ImportedTrace r = FtraceImporter.read(utf8(String.join("\n",
                "  a-1 [000] d.... 1.0: xen_mmu_write_cr3: kernel cr3 1000",
                "  a-1 [000] d.... 1.1: xen_mc_batch: start batch LAZY_MMU",
                "  a-1 [000] d.... 1.2: xen_mmu_set_pte_at: mm ffff888000777000 addr 7f0000001000 " + pte,
                "CPU:0 [LOST 3 EVENTS]",
                "  a-1 [000] d.... 2.1: xen_mc_batch: start batch LAZY_MMU",
                "  a-1 [000] d.... 2.2: xen_mmu_set_pte_at: mm ffff888000777000 addr 7f0000001000 " + pte)),
                "t.txt", X86_64)) {
            List<TraceEvent> events = new ArrayList<>();
            r.forEachRemaining(events::add);
            assertThat(events).extracting(TraceEvent::type).containsExactly(EventType.WRITE_CR3,
                    EventType.LAZY_MMU, EventType.SET_PTE_AT, EventType.GAP, EventType.LAZY_MMU, EventType.SET_PTE);
            assertThat(events.get(4)).isEqualTo(new LazyMmu(0, 2_100_000_000L, LazyMmu.Phase.ENTER));
        }
    }

    @Test
    void inputWithoutOneTracepointIsBadInput() {
        assertThatThrownBy(() -> {
            try (ImportedTrace r = FtraceImporter.read(utf8("# tracer: nop\n#\n"), "t.txt", X86_64)) {
                r.hasNext();
            }
        }).isInstanceOf(TraceInputException.class)
                .hasMessage("t.txt: no ftrace events found (not one tracepoint line in the input)");
    }

    @Test
    void aCutLastLineIsAnErrorUnlessLenient() {
        // the last line stops inside its payload: no pteval, so the set_pte cannot be imported
        String text = String.join("\n",
                "  a-1 [000] d.... 1.0: xen_mmu_flush_tlb: ",
                "  a-1 [000] d.... 2.0: xen_mmu_set_pte: ptep ffff888001234008 pteva");
        assertThatThrownBy(() -> read(X86_64, text.split("\n")))
                .isInstanceOf(TraceInputException.class)
                .hasMessageStartingWith("t.txt: line 2: field 'pteval': missing");
        try (ImportedTrace r = FtraceImporter.read(utf8(text), "t.txt", X86_64.withLenient(true))) {
            List<TraceEvent> out = new ArrayList<>();
            r.forEachRemaining(out::add);
            assertThat(out).containsExactly(FlushTlb.user(0, 1_000_000_000L));
            assertThat(r.summary().skipped()).containsEntry("damaged or cut lines (--lenient), the first at line 2,"
                    + " field 'pteval': missing in 'ptep ffff888001234008 pteva'", 1L);
        }
    }

    private static InputStream utf8(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
