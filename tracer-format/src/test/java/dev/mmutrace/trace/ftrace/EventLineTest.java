package dev.mmutrace.trace.ftrace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The context columns of one line, shaped after the kernel's trace_print_context and trace-cmd's
 * output (tracepoints.md §4). Timestamps: seconds and a fraction, as nanoseconds.
 */
class EventLineTest {
    private final EventLine line = new EventLine();

    private boolean scan(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return line.scan(b, 0, b.length);
    }

    private String payload() {
        return new String(line.line, line.payloadStart, line.payloadEnd - line.payloadStart, StandardCharsets.UTF_8);
    }

    @Test
    void fiveFlagsColumnOfNewKernels() {
        assertThat(scan("          <idle>-0       [001] d....  2616.730120: xen_mmu_set_pte: ptep ffff888001234008"))
                .isTrue();
        assertThat(line.cpu).isEqualTo(1);
        // 2616 s + 730120 us
        assertThat(line.timestampNs).isEqualTo(2_616_730_120_000L);
        assertThat(line.eventName()).isEqualTo("xen_mmu_set_pte");
        assertThat(payload()).isEqualTo("ptep ffff888001234008");
    }

    @Test
    void fourFlagsColumnOfOldKernels() {
        assertThat(scan("            bash-930   [003] d...  6288.896762: page_fault_user: address=0x55bc6c5557d0"))
                .isTrue();
        assertThat(line.cpu).isEqualTo(3);
        assertThat(line.timestampNs).isEqualTo(6_288_896_762_000L);
        assertThat(line.eventName()).isEqualTo("page_fault_user");
    }

    @Test
    void noFlagsColumnAndNanosecondsFromTraceCmd() {
        assertThat(scan("  rm-5298  [001]  6084.533748493: xen_mmu_pgd_pin:      mm 0xffff888003c1d000")).isTrue();
        assertThat(line.cpu).isEqualTo(1);
        assertThat(line.timestampNs).isEqualTo(6_084_533_748_493L);
        // trace-cmd pads the name after its colon; the padding is not the payload's
        assertThat(line.eventName()).isEqualTo("xen_mmu_pgd_pin");
        assertThat(payload()).isEqualTo("mm 0xffff888003c1d000");
    }

    @Test
    void tgidColumnFilledOrDashed() {
        assertThat(scan("            bash-1234    (   1234) [000] .....   100.000001: xen_mmu_write_cr3: kernel cr3 1a2b000"))
                .isTrue();
        assertThat(line.cpu).isZero();
        assertThat(scan("     kworker/0:1-17      (-------) [002] .N...   100.000002: xen_mmu_write_cr3: user cr3 0"))
                .isTrue();
        assertThat(line.cpu).isEqualTo(2);
        assertThat(line.timestampNs).isEqualTo(100_000_002_000L);
    }

    @Test
    void taskNamesWithSpacesDashesAndNonAsciiCharacters() {
        // split at the last dash before [cpu]: task "CPU 5/KVM-a-b", pid 4145
        assertThat(scan("     CPU 5/KVM-a-b-4145    [002] .....    86.581928: xen_mmu_flush_tlb_one_user: addr 1000"))
                .isTrue();
        assertThat(line.cpu).isEqualTo(2);
        assertThat(line.eventName()).isEqualTo("xen_mmu_flush_tlb_one_user");
        // "café-[1]" holds a two-byte character and a bracket that is no cpu column (no space before it)
        assertThat(scan("  caf\u00e9-[1]-77 [004] d.... 1.5: xen_mmu_flush_tlb: ")).isTrue();
        assertThat(line.cpu).isEqualTo(4);
        assertThat(line.timestampNs).isEqualTo(1_500_000_000L);
        assertThat(payload()).isEmpty(); // the trailing space is not payload
    }

    @Test
    void aLineInsideALargerBufferIsScannedFromItsOwnStart() {
        // the previous line's "[002]" lies before the range and must not be taken as this line's cpu
        byte[] b = "zz-1 [002]\n  a-1 [000] d.... 1.25: xen_mmu_flush_tlb: ".getBytes(StandardCharsets.US_ASCII);
        assertThat(line.scan(b, 11, b.length)).isTrue();
        assertThat(line.cpu).isZero();
        assertThat(line.timestampNs).isEqualTo(1_250_000_000L);
        // "zz-1 [002]" alone has no timestamp: not an event
        assertThat(line.scan(b, 0, 10)).isFalse();
    }

    @Test
    void linesAfterAnEventLineWithTheSameContextReadTheSameColumns() {
        // the lines of one chunk, scanned in order by one instance, as ScannedChunk does
        String[] lines = {
            "      bash-930   [003] d....  6288.896762: xen_mmu_set_pte: ptep 1",
            // the same context up to the timestamp: cpu 3 and pid 930 again, its own timestamp and name
            "      bash-930   [003] d....  6288.896763: xen_mmu_set_pmd: pmdp 2",
            // another cpu: scanned from the start
            "      bash-930   [002] d....  6288.896764: xen_mmu_set_pud: pudp 3",
            // the context of the line before, then a second flags column: no timestamp after the
            // first, none after the second: not an event, as when scanned alone
            "      bash-930   [002] d....  .N.. 6288.896765: xen_mmu_set_pud: pudp 4",
            // shorter than that context: not an event
            "      bash-930",
            "  rm-5298  [001]  6084.533748493: xen_mmu_pgd_pin: mm 0x1",
            // after a context without flags, a flags column: the timestamp after it, as when alone
            "  rm-5298  [001]  d.... 6084.533748494: xen_mmu_pgd_unpin: mm 0x2",
            // that context again, with a name but no colon after it: not an event
            "  rm-5298  [001]  d.... 6084.533748495: xen_mmu_pgd_unpin",
            "  rm-5298  [001]  d.... 6084.533748496: xen_mmu_pgd_pin: mm 0x3",
        };
        byte[] b = String.join("\n", lines).getBytes(StandardCharsets.US_ASCII);
        boolean[] event = new boolean[lines.length];
        int[] cpu = new int[lines.length];
        int[] pid = new int[lines.length];
        long[] ns = new long[lines.length];
        String[] name = new String[lines.length];
        int from = 0;
        for (int k = 0; k < lines.length; k++) {
            int to = from + lines[k].length();
            event[k] = line.scan(b, from, to);
            cpu[k] = line.cpu;
            pid[k] = line.pid;
            ns[k] = line.timestampNs;
            name[k] = event[k] ? line.eventName() + " " + payload() : null;
            from = to + 1;
        }
        assertThat(event).containsExactly(true, true, true, false, false, true, true, false, true);
        assertThat(new int[] {cpu[0], cpu[1], cpu[2], cpu[5], cpu[6], cpu[8]}).containsExactly(3, 3, 2, 1, 1, 1);
        assertThat(new int[] {pid[0], pid[1], pid[2], pid[5], pid[6], pid[8]})
                .containsExactly(930, 930, 930, 5298, 5298, 5298);
        // 6288 s + 896763 us; 6084 s + 533748494 ns
        assertThat(ns[1]).isEqualTo(6_288_896_763_000L);
        assertThat(ns[6]).isEqualTo(6_084_533_748_494L);
        assertThat(ns[8]).isEqualTo(6_084_533_748_496L);
        assertThat(name[1]).isEqualTo("xen_mmu_set_pmd pmdp 2");
        assertThat(name[6]).isEqualTo("xen_mmu_pgd_unpin mm 0x2");
        assertThat(name[8]).isEqualTo("xen_mmu_pgd_pin mm 0x3");
    }

    @Test
    void timestampsOfEveryFractionLengthAndClock() {
        // one digit: 7 s + 0.5 s
        assertThat(scan("  a-1 [000] d.... 7.5: xen_mmu_flush_tlb: ")).isTrue();
        assertThat(line.timestampNs).isEqualTo(7_500_000_000L);
        // nine digits, the most that are kept: 12 s + 345678901 ns
        assertThat(scan("  a-1 [000] d.... 12.345678901: xen_mmu_flush_tlb: ")).isTrue();
        assertThat(line.timestampNs).isEqualTo(12_345_678_901L);
        // eleven digits: those below a nanosecond (the trailing "23") are dropped
        assertThat(scan("  a-1 [000] d.... 12.34567890123: xen_mmu_flush_tlb: ")).isTrue();
        assertThat(line.timestampNs).isEqualTo(12_345_678_901L);
        // a counter clock (trace_clock counter, x86-tsc): no fraction, the number as it is
        assertThat(scan("  a-1 [000] d.... 987654321: xen_mmu_flush_tlb: ")).isTrue();
        assertThat(line.timestampNs).isEqualTo(987_654_321L);
        // tabs around the timestamp, as after the flags column: 3 s + 250 ms, name after the tab
        assertThat(scan("  a-1 [000] d....\t3.25:\txen_mmu_flush_tlb: ")).isTrue();
        assertThat(line.timestampNs).isEqualTo(3_250_000_000L);
        assertThat(line.eventName()).isEqualTo("xen_mmu_flush_tlb");
        // "1.5:x" is one token that does not end with its colon: not a timestamp, nor is what follows
        assertThat(scan("  a-1 [000] 1.5:x xen_mmu_flush_tlb: ")).isFalse();
        // ... but as the flags column it is passed by, and the next token is the timestamp: 2 s
        assertThat(scan("  a-1 [000] 1.5:x 2.0: xen_mmu_flush_tlb: ")).isTrue();
        assertThat(line.timestampNs).isEqualTo(2_000_000_000L);
    }

    @Test
    void linesThatAreNotEvents() {
        assertThat(scan("# tracer: nop")).isFalse();
        assertThat(scan("")).isFalse();
        assertThat(scan("CPU 3 is empty")).isFalse();
        assertThat(scan("cpus=6")).isFalse();
        assertThat(scan("garbage xen_mmu_set_pte: ptep 1 pteval 2")).isFalse();
        // a cpu column without the task's "-pid" before it
        assertThat(scan("  bash [000] d.... 1.0: xen_mmu_flush_tlb: ")).isFalse();
    }
}
