package dev.mmutrace.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.replay.ModelOptions;
import dev.mmutrace.replay.Models;
import dev.mmutrace.replay.ReplayEngine;
import dev.mmutrace.trace.AccessMode;
import dev.mmutrace.trace.FlushTlb;
import dev.mmutrace.trace.PageFault;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.WriteCr3;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventLogWriterTest {

    @Test
    void writesOneLinePerEventRetryAndEndInFixedKeyOrder() throws Exception {
        TraceHeader h = TraceHeader.defaults(PagingMode.FOUR_LEVEL, 1, 1 << 20).withAccessMode(AccessMode.IMPLIED);
        List<TraceEvent> events = List.of(
                new WriteCr3(0, -1, 0x100000, WriteCr3.Root.KERNEL),
                new PageFault(0, 5, 0x1000, PageFault.W | PageFault.U, 0x400000),
                FlushTlb.one(0, -1, 0x1000));
        StringWriter text = new StringWriter();
        try (EventLogWriter log = new EventLogWriter(text, List.of("native"))) {
            new ReplayEngine(h, List.of(Models.named("native").orElseThrow()), ModelOptions.DEFAULTS, log)
                    .run(events.iterator());
        }
        // Worked out from the rules: the cr3 load empties an empty TLB (wasted); the fault walks
        // into PML4[0] at 0x100000, never written (unknown state, treated as not present: a guest
        // fault, error code W|U = 6); its retry happens before event 2 (not an entry update),
        // faults again on the same unknown slot; the INVLPG removes nothing (wasted); at the end
        // the native model remarks on the one retry that faulted again.
        assertThat(text.toString().split("\n", -1)).containsExactly(
                "{\"index\":0,\"event\":{\"type\":\"write_cr3\",\"cpu\":0,\"timestamp_ns\":-1,\"pgd\":\"0x100000\","
                        + "\"root\":\"kernel\"},\"models\":{\"native\":[{\"type\":\"flush\",\"event\":0,\"cpu\":0,"
                        + "\"kind\":\"cr3_load\",\"origin\":\"model_generated\",\"needed\":false,\"stale_removed\":0,"
                        + "\"over_broad\":false,\"targets\":1}]}}",
                "{\"index\":1,\"event\":{\"type\":\"page_fault\",\"cpu\":0,\"timestamp_ns\":5,\"vaddr\":\"0x1000\","
                        + "\"error_code\":\"0x6\",\"ip\":\"0x400000\"},\"models\":{\"native\":["
                        + "{\"type\":\"unknown_state_walk\",\"event\":1,\"cpu\":0,\"vaddr\":\"0x1000\",\"entry_gpa\":\"0x100000\"},"
                        + "{\"type\":\"fault\",\"event\":1,\"cpu\":0,\"kind\":\"guest\",\"vaddr\":\"0x1000\",\"error_code\":\"0x6\"}]}}",
                "{\"index\":1,\"retry\":{\"cpu\":0,\"vaddr\":\"0x1000\",\"kind\":\"write\",\"user\":true,\"retry\":true},"
                        + "\"models\":{\"native\":[{\"type\":\"unknown_state_walk\",\"event\":1,\"cpu\":0,"
                        + "\"vaddr\":\"0x1000\",\"entry_gpa\":\"0x100000\"}]}}",
                "{\"index\":2,\"event\":{\"type\":\"flush_tlb\",\"cpu\":0,\"timestamp_ns\":-1,\"scope\":\"one\","
                        + "\"vaddr\":\"0x1000\",\"vaddr_end\":null,\"cpus\":\"0x0\",\"cpu_count\":0,\"mm\":null},"
                        + "\"models\":{\"native\":[{\"type\":\"flush\",\"event\":2,\"cpu\":0,\"kind\":\"one\","
                        + "\"origin\":\"guest_requested\",\"needed\":false,\"stale_removed\":0,\"over_broad\":false,"
                        + "\"targets\":1}]}}",
                "{\"index\":3,\"end\":true,\"models\":{\"native\":[{\"type\":\"remark\",\"event\":3,\"cpu\":0,"
                        + "\"key\":\"native.retry_faulted\",\"text\":\"1 implied retries faulted again (first: the retry"
                        + " of event 1); the trace does not show how the guest resolved them\"}]}}",
                "");
    }

    @Test
    void snakeCaseOfRecordNames() {
        assertThat(EventLogWriter.snake("entryGpa")).isEqualTo("entry_gpa");
        assertThat(EventLogWriter.snake("MissedFlush")).isEqualTo("missed_flush");
    }
}
