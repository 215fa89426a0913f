package dev.mmutrace.trace.importer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableSortedMap;
import org.junit.jupiter.api.Test;

/** The text of an import summary: the layout users read (and scripts may grep). */
class ImportSummaryTest {

    @Test
    void kindsArePaddedToEighteenColumnsSoThatTheirCountsLineUp() {
        ImportSummary s = new ImportSummary("t.txt", "line", 40, 38,
                ImmutableSortedMap.of("pin", 2L, "ptep_modify_prot", 7L, "a_kind_19_chars_xyz", 1L),
                ImmutableSortedMap.of("comment, header and blank lines", 2L),
                ImmutableSortedMap.of("cpu 1: gaps", 3L),
                "--vcpus option", "a first pass");
        // "  imported " then the kind left-aligned in 18 columns, one space, the count: "pin" gets
        // 15 spaces of padding + 1; "ptep_modify_prot" (16) gets 2 + 1; a kind of 19 is wider
        // than the column and is followed by the one separating space only.
        assertThat(s.describe()).containsExactly(
                "t.txt: 40 lines, 38 events imported",
                "  imported a_kind_19_chars_xyz 1",
                "  imported pin                2",
                "  imported ptep_modify_prot   7",
                "  vcpus: --vcpus option",
                "  pfn_limit: a first pass",
                "  skipped 2: comment, header and blank lines",
                "  approximated 3: cpu 1: gaps");
    }

    @Test
    void countsAreLongsPrintedInFull() {
        ImportSummary s = new ImportSummary("in", "record", 5_000_000_000L, 0,
                ImmutableSortedMap.of(), ImmutableSortedMap.of(), ImmutableSortedMap.of(), "the file", "the file");
        assertThat(s.describe()).containsExactly(
                "in: 5000000000 records, 0 events imported",
                "  vcpus: the file",
                "  pfn_limit: the file");
    }
}
