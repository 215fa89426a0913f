package dev.mmutrace.trace.tracedat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmutrace.trace.AllocPt;
import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.LazyMmu;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.Pin;
import dev.mmutrace.trace.PtepModifyProt;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceInputException;
import dev.mmutrace.trace.WriteCr3;
import dev.mmutrace.trace.importer.ImportOptions;
import dev.mmutrace.trace.importer.ImportedTrace;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * xen_mmu_* and xen_mc_* events from a trace.dat file, which no machine here can record: the file
 * is written by this test (version 6, little endian, one cpu, one page) with the formats
 * tracepoints.md §1.2 gives those events (TP_STRUCT__entry after the 8 bytes of common fields,
 * each field at its natural alignment, as the kernel lays them out). The reader must find every
 * field by the format alone, and the translation must make the same trace events as from text,
 * the entry value being the raw one (so only with --accept-raw-values).
 */
class XenTraceDatTest {
    private static final String COMMON = "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
            + "\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
            + "\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
            + "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n";
    private static final long MM = 0xffff888003c1d000L;
    private static final long PGD = 0xffff888005000000L; // gpa 0x5000000 in the 4level direct map

    @TempDir
    Path dir;

    private static String format(String name, int id, String... fields) {
        StringBuilder b = new StringBuilder("name: " + name + "\nID: " + id + "\nformat:\n" + COMMON);
        for (String f : fields) {
            b.append("\tfield:").append(f).append('\n');
        }
        return b.append("\nprint fmt: \"\"\n").toString();
    }

    private static final List<String> FORMATS = List.of(
            format("xen_mmu_pgd_pin", 501, "struct mm_struct * mm;\toffset:8;\tsize:8;\tsigned:0;",
                    "pgd_t * pgd;\toffset:16;\tsize:8;\tsigned:0;"),
            format("xen_mmu_write_cr3", 502, "bool kernel;\toffset:8;\tsize:1;\tsigned:0;",
                    "unsigned long cr3;\toffset:16;\tsize:8;\tsigned:0;"),
            format("xen_mc_batch", 503, "enum paravirt_lazy_mode mode;\toffset:8;\tsize:4;\tsigned:0;"),
            format("xen_mmu_ptep_modify_prot_commit", 504, "struct mm_struct * mm;\toffset:8;\tsize:8;\tsigned:0;",
                    "unsigned long addr;\toffset:16;\tsize:8;\tsigned:0;",
                    "pte_t * ptep;\toffset:24;\tsize:8;\tsigned:0;",
                    "pteval_t pteval;\toffset:32;\tsize:8;\tsigned:0;"),
            format("xen_mmu_alloc_ptpage", 505, "struct mm_struct * mm;\toffset:8;\tsize:8;\tsigned:0;",
                    "unsigned long pfn;\toffset:16;\tsize:8;\tsigned:0;",
                    "unsigned level;\toffset:24;\tsize:4;\tsigned:0;",
                    "bool pinned;\toffset:28;\tsize:1;\tsigned:0;"),
            format("xen_mmu_flush_tlb_multi", 506, "unsigned ncpus;\toffset:8;\tsize:4;\tsigned:0;",
                    "struct mm_struct * mm;\toffset:16;\tsize:8;\tsigned:0;",
                    "unsigned long addr;\toffset:24;\tsize:8;\tsigned:0;",
                    "unsigned long end;\toffset:32;\tsize:8;\tsigned:0;"));

    /** One event's bytes: the common fields (type, pid 42) then the fields at the offsets above. */
    private static ByteBuffer event(int id, int size) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(0, (short) id).putInt(4, 42);
        return b;
    }

    private Path writeFile() throws IOException {
        List<ByteBuffer> events = new ArrayList<>();
        events.add(event(501, 24).putLong(8, MM).putLong(16, PGD));
        events.add(event(502, 24).put(8, (byte) 1).putLong(16, 0x5000000L));
        events.add(event(503, 12).putInt(8, 1)); // PARAVIRT_LAZY_MMU
        events.add(event(504, 40).putLong(8, MM).putLong(16, 0x7f0000001000L).putLong(24, 0xffff888004003008L)
                .putLong(32, 0x8000000012345067L));
        events.add(event(503, 12).putInt(8, 0)); // PARAVIRT_LAZY_NONE
        events.add(event(505, 32).putLong(8, MM).putLong(16, 0x4003L).putInt(24, 4).put(28, (byte) 1));
        events.add(event(506, 40).putInt(8, 1).putLong(16, MM).putLong(24, 0x7f0000001000L)
                .putLong(32, 0x7f0000002000L));
        // the page: timestamp 1 s, commit word, then each event's header (type_len = its words, delta 100)
        ByteBuffer page = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        page.putLong(0, 1_000_000_000L);
        int at = 16;
        for (int i = 0; i < events.size(); i++) {
            if (i == events.size() - 1) {
                // a time extend of 2 << 27 ns before the last event (type 30, its delta in the next word)
                page.putInt(at, 30).putInt(at + 4, 2);
                at += 8;
            }
            ByteBuffer e = events.get(i);
            page.putInt(at, (e.capacity() / 4) | (100 << 5));
            page.put(at + 4, e.array());
            at += 4 + e.capacity();
        }
        page.putLong(8, at - 16);
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(new byte[] {0x17, 0x08, 0x44});
        f.write("tracing6\0".getBytes(StandardCharsets.US_ASCII));
        f.write(new byte[] {0, 8});
        f.write(le(4, 4096));
        sized(f, "header_page\0", "\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
                + "\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"
                + "\tfield: char data;\toffset:16;\tsize:4080;\tsigned:0;\n");
        sized(f, "header_event\0", "# compressed entry header\n");
        f.write(le(4, 0)); // no ftrace formats
        f.write(le(4, 1));
        f.write("xen\0".getBytes(StandardCharsets.US_ASCII));
        f.write(le(4, FORMATS.size()));
        for (String format : FORMATS) {
            byte[] b = format.getBytes(StandardCharsets.US_ASCII);
            f.write(le(8, b.length));
            f.write(b);
        }
        f.write(le(4, 0)); // kallsyms
        f.write(le(4, 0)); // printk
        f.write(le(8, 0)); // cmdlines
        f.write(le(4, 1)); // cpus
        f.write("flyrecord\0".getBytes(StandardCharsets.US_ASCII));
        int dataAt = (f.size() + 16 + 4095) / 4096 * 4096;
        f.write(le(8, dataAt));
        f.write(le(8, 4096));
        f.write(new byte[dataAt - f.size()]);
        f.write(page.array());
        Path file = dir.resolve("xen.dat");
        Files.write(file, f.toByteArray());
        return file;
    }

    private static void sized(ByteArrayOutputStream f, String name, String text) throws IOException {
        f.write(name.getBytes(StandardCharsets.US_ASCII));
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        f.write(le(8, b.length));
        f.write(b);
    }

    private static byte[] le(int size, long v) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
        return java.util.Arrays.copyOf(b.array(), size);
    }

    @Test
    void xenEventsTranslateFromTheirBinaryFields() throws IOException {
        Path file = writeFile();
        ImportOptions options = ImportOptions.defaults(PagingMode.FOUR_LEVEL).withPfnLimit(0x100000)
                .withAcceptRawValues(true);
        List<TraceEvent> out = new ArrayList<>();
        try (ImportedTrace r = ImportedTrace.open(new TraceDatImporter(), file, options)) {
            assertThat(r.header().vcpus()).isEqualTo(1); // the file's cpu count
            r.forEachRemaining(out::add);
        }
        long t = 1_000_000_000L;
        // mm 0xffff888003c1d000 was pinned with pgd gpa 0x5000000, so later updates name that table;
        // ptep 0xffff888004003008 is gpa 0x4003008; level 4 is PT_PTE (L1); the last event follows a
        // time extend of 2 << 27 = 268435456 ns on top of its own delta of 100
        assertThat(out).containsExactly(
                new Pin(0, t + 100, 0x5000000L, 4),
                new WriteCr3(0, t + 200, 0x5000000L, WriteCr3.Root.KERNEL),
                new LazyMmu(0, t + 300, LazyMmu.Phase.ENTER),
                new PtepModifyProt(0, t + 400, 0x5000000L, 0x7f0000001000L, 0x4003008L, 0x8000000012345067L),
                new LazyMmu(0, t + 500, LazyMmu.Phase.LEAVE),
                new AllocPt(0, t + 600, 0x4003L, 1, true),
                new FlushTlb(0, t + 700 + 268_435_456L, FlushTlb.Scope.MULTI, 0x7f0000001000L, 0x7f0000002000L, 0, 1,
                        0x5000000L));
    }

    @Test
    void rawEntryValuesAreRefusedUnlessAccepted() throws IOException {
        Path file = writeFile();
        ImportOptions options = ImportOptions.defaults(PagingMode.FOUR_LEVEL).withPfnLimit(0x100000);
        assertThatThrownBy(() -> {
            try (ImportedTrace r = ImportedTrace.open(new TraceDatImporter(), file, options)) {
                r.forEachRemaining(e -> { });
            }
        }).isInstanceOf(TraceInputException.class)
                .hasMessageStartingWith(file + ": record 4: field 'pteval': this record holds only the raw"
                        + " (machine-frame) entry");
    }
}
