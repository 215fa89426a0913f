package dev.mmutrace.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmutrace.trace.EventValidator.ColumnRule;
import dev.mmutrace.trace.TraceInputException.Unit;
import org.junit.jupiter.api.Test;

/** The header-dependent rules, each at its boundary: the last value that passes and the first that does not. */
class EventValidatorTest {
    private static final long NO_TS = TraceEvent.NO_TIMESTAMP;
    private static final long NONE = TraceEvent.NO_ADDRESS;

    private static final EventValidator TWO_LEVEL =
            new EventValidator(TraceHeader.defaults(PagingMode.TWO_LEVEL, 2, 0x4000));
    private static final EventValidator PAE = new EventValidator(TraceHeader.defaults(PagingMode.PAE, 4, 0x200000));
    private static final EventValidator FOUR_LEVEL =
            new EventValidator(TraceHeader.defaults(PagingMode.FOUR_LEVEL, 64, 1L << 30));

    private static void accepts(EventValidator v, TraceEvent e) {
        assertThatCode(() -> v.check(e, "t", Unit.RECORD, 7)).doesNotThrowAnyException();
    }

    private static void rejects(EventValidator v, TraceEvent e, String field, String problem) {
        assertThatThrownBy(() -> v.check(e, "t", Unit.RECORD, 7))
                .isInstanceOf(TraceInputException.class)
                .hasMessage("t: record 7: field '" + field + "': " + problem);
    }

    @Test
    void vcpuMustBeBelowTheHeadersCount() {
        accepts(FOUR_LEVEL, new LazyMmu(63, NO_TS, LazyMmu.Phase.ENTER));
        rejects(TWO_LEVEL, new LazyMmu(2, NO_TS, LazyMmu.Phase.ENTER), "cpu", "vCPU 2 but the header has 2 (0..1)");
    }

    @Test
    void theVcpuIsCheckedFirstInEveryKindOfEvent() {
        // 2level with 2 vCPUs: cpu 2 is one too many; every event below also has a second bad
        // field where its kind has one (an entry gpa past the 0x4000 frames = 0x4000000 bytes, a
        // vaddr or value wider than 32 bits, level 3 of a 2-level mode, a pfn past 32-bit memory,
        // a user root outside 4level, a flush address on a flush of all), and the vCPU is named
        long far = 0x400_0000;
        long wide = 0x1_0000_0000L;
        TraceEvent[] events = {
            new SetPte(2, NO_TS, far, 0),
            new SetPteAt(2, NO_TS, 0x1000, wide, 0x2000, 0),
            new PtepModifyProt(2, NO_TS, 0x1000, 0x1000, far, 0),
            new SetPmd(2, NO_TS, 0x1000, wide),
            new SetPud(2, NO_TS, far, 0),
            new SetPgd(2, NO_TS, far, 0, NONE),
            new WriteCr3(2, NO_TS, 0x1000, WriteCr3.Root.USER),
            new PageFault(2, NO_TS, wide, 0, 0),
            new Pin(2, NO_TS, 0x1000, 3),
            new Unpin(2, NO_TS, 0x1000, 3),
            new AllocPt(2, NO_TS, 0x10_0000, 1, false),
            new ReleasePt(2, NO_TS, 1, 3, false),
            new FlushTlb(2, NO_TS, FlushTlb.Scope.ALL, 0x1000, NONE, 0, 0, NONE),
            new LazyMmu(2, NO_TS, LazyMmu.Phase.LEAVE),
            new SetStack(2, NO_TS, wide, 1),
            new Access(2, NO_TS, wide, Access.Kind.READ, true),
            Gap.of(2, NO_TS, 5),
        };
        assertThat(events).extracting(TraceEvent::type).containsExactlyInAnyOrder(EventType.values());
        for (TraceEvent e : events) {
            rejects(TWO_LEVEL, e, "cpu", "vCPU 2 but the header has 2 (0..1)");
        }
    }

    @Test
    void entryGpaIsAlignedToTheModesEntrySize() {
        // 2level entries are 4 bytes: 0x1004 is an entry, in pae 8-byte entries it is the middle of one
        accepts(TWO_LEVEL, new SetPte(0, NO_TS, 0x1004, 0));
        rejects(PAE, new SetPte(0, NO_TS, 0x1004, 0), "entry_gpa",
                "0x1004 is not aligned to the 8-byte entries of pae");
        accepts(PAE, new SetPmd(0, NO_TS, 0x1ff8, 0));
    }

    @Test
    void entryGpaLiesInsideGuestMemory() {
        // 0x4000 frames = 64 MiB = 0x4000000 bytes: the last 4-byte entry is at 0x3fffffc
        accepts(TWO_LEVEL, new SetPte(0, NO_TS, 0x3ff_fffc, 0));
        rejects(TWO_LEVEL, new SetPte(0, NO_TS, 0x400_0000, 0), "entry_gpa",
                "0x4000000 lies beyond guest memory (pfn_limit 0x4000)");
    }

    @Test
    void twoLevelValuesAre32Bits() {
        accepts(TWO_LEVEL, new SetPmd(0, NO_TS, 0x1000, 0xffff_ffffL));
        rejects(TWO_LEVEL, new SetPmd(0, NO_TS, 0x1000, 0x1_0000_0000L), "value",
                "0x100000000 does not fit the 32-bit entries of 2level");
        // pae entries carry NX in bit 63
        accepts(PAE, new SetPte(0, NO_TS, 0x1000, 0x8000_0000_0010_0063L));
    }

    @Test
    void fourLevelVaddrsAreCanonical() {
        // 48-bit canonical: up to 0x00007fffffffffff, then from 0xffff800000000000
        accepts(FOUR_LEVEL, new Access(0, NO_TS, 0x0000_7fff_ffff_ffffL, Access.Kind.READ, true));
        accepts(FOUR_LEVEL, new Access(0, NO_TS, 0xffff_8000_0000_0000L, Access.Kind.READ, false));
        rejects(FOUR_LEVEL, new Access(0, NO_TS, 0x0000_8000_0000_0000L, Access.Kind.READ, true), "vaddr",
                "0x800000000000 is not a canonical 48-bit address");
        rejects(FOUR_LEVEL, new PageFault(0, NO_TS, 0x1000, 0, 0xffff_7fff_ffff_ffffL), "ip",
                "0xffff7fffffffffff is not a canonical 48-bit address");
    }

    @Test
    void thirtyTwoBitModesHave32BitVaddrs() {
        accepts(PAE, new SetStack(0, NO_TS, 0xffff_f000L, 1));
        rejects(PAE, new SetStack(0, NO_TS, 0x1_0000_0000L, 1), "vaddr",
                "0x100000000 does not fit the 32-bit addresses of pae");
    }

    @Test
    void topTablesAreAlignedAsCr3Needs() {
        // a pae cr3 names a 32-byte PDPT; the 2level and 4level top tables are pages
        accepts(PAE, new WriteCr3(0, NO_TS, 0x1fe0, WriteCr3.Root.KERNEL));
        rejects(PAE, new WriteCr3(0, NO_TS, 0x1fe8, WriteCr3.Root.KERNEL), "pgd",
                "0x1fe8 is not aligned to 32 bytes, as a pae top table must be");
        rejects(TWO_LEVEL, new Pin(0, NO_TS, 0x1fe0, 2), "table_gpa",
                "0x1fe0 is not aligned to 4096 bytes, as a 2level top table must be");
        rejects(PAE, new Unpin(0, NO_TS, 0x1_0000_0000L, 3), "table_gpa",
                "0x100000000 does not fit the 32-bit cr3 of pae");
    }

    @Test
    void levelsStayWithinTheMode() {
        accepts(TWO_LEVEL, new AllocPt(0, NO_TS, 0x100, 2, false));
        rejects(TWO_LEVEL, new AllocPt(0, NO_TS, 0x100, 3, false), "level", "3 but 2level has levels 1..2");
        accepts(FOUR_LEVEL, new Pin(0, NO_TS, 0x1000, 4));
        rejects(PAE, new Pin(0, NO_TS, 0x1000, 4), "level", "4 but pae has levels 1..3");
    }

    @Test
    void onlyFourLevelHasUserRootsAndUserTopTables() {
        accepts(FOUR_LEVEL, new WriteCr3(0, NO_TS, 0x2000, WriteCr3.Root.USER));
        rejects(PAE, new WriteCr3(0, NO_TS, 0x2000, WriteCr3.Root.USER), "root",
                "only 4level guests keep a user root, this trace is pae");
        accepts(FOUR_LEVEL, new SetPgd(0, NO_TS, 0x2ff8, 0x3067, 0x4ff8));
        rejects(TWO_LEVEL, new SetPgd(0, NO_TS, 0x2ffc, 0x3067, 0x4ffc), "user_entry_gpa",
                "only 4level guests keep a user top table, this trace is 2level");
    }

    @Test
    void flushFieldsBelongToTheirScope() {
        rejects(TWO_LEVEL, new FlushTlb(0, NO_TS, FlushTlb.Scope.ALL, 0x1000, NONE, 0, 0, NONE), "vaddr",
                "a flush of scope all has no address");
        rejects(TWO_LEVEL, new FlushTlb(0, NO_TS, FlushTlb.Scope.ONE, 0x1000, NONE, 1, 0, NONE), "cpus",
                "only a multi flush has target vCPUs, this is one");
        rejects(TWO_LEVEL, new FlushTlb(0, NO_TS, FlushTlb.Scope.USER, NONE, NONE, 0, 0, 0x1000), "mm",
                "only a multi flush names an address space, this is user");
    }

    @Test
    void multiFlushTargetsExistingVcpus() {
        // 2 vCPUs: bits 0 and 1 may be set, bit 2 names vCPU 2
        accepts(TWO_LEVEL, new FlushTlb(0, NO_TS, FlushTlb.Scope.MULTI, NONE, NONE, 0b11, 2, NONE));
        rejects(TWO_LEVEL, new FlushTlb(0, NO_TS, FlushTlb.Scope.MULTI, NONE, NONE, 0b100, 1, NONE), "cpus",
                "target set 0x4 names a vCPU >= 2");
        rejects(TWO_LEVEL, new FlushTlb(0, NO_TS, FlushTlb.Scope.MULTI, NONE, NONE, 0, 3, NONE), "cpu_count",
                "3 targets but the header has 2 vCPUs");
        // with 64 vCPUs every bit names one
        accepts(FOUR_LEVEL, new FlushTlb(0, NO_TS, FlushTlb.Scope.MULTI, NONE, NONE, -1L, 64, NONE));
    }

    @Test
    void multiFlushRangeEndIsExclusive() {
        // [0xfffff000, 0x100000000) is the last page of a 32-bit space: its last byte 0xffffffff fits
        accepts(TWO_LEVEL, new FlushTlb(0, NO_TS, FlushTlb.Scope.MULTI, 0xffff_f000L, 0x1_0000_0000L, 0, 0, NONE));
        rejects(TWO_LEVEL, new FlushTlb(0, NO_TS, FlushTlb.Scope.MULTI, 0xffff_f000L, 0x1_0000_1000L, 0, 0, NONE),
                "vaddr_end", "0x100000fff does not fit the 32-bit addresses of 2level");
    }

    @Test
    void recordRefusalNamesItsField() {
        IllegalArgumentException refusal = new IllegalArgumentException("level must be 1..4, got 5");
        org.assertj.core.api.Assertions.assertThat(EventValidator.rejection(refusal, "t.csv", Unit.LINE, 3))
                .hasMessage("t.csv: line 3: field 'level': level must be 1..4, got 5");
    }

    @Test
    void aColumnPassesWhenEachOfItsValuesWouldPassInItsEvent() {
        // the same bounds as the event tests above, over arrays; count bounds what is looked at
        long[] gpas = {0x1004, 0x3ff_fffc, 0x400_0000};
        assertThat(TWO_LEVEL.column(ColumnRule.ENTRY_GPA, gpas, 2)).isTrue();
        assertThat(TWO_LEVEL.column(ColumnRule.ENTRY_GPA, gpas, 3)).isFalse(); // beyond 0x4000 frames
        assertThat(PAE.column(ColumnRule.ENTRY_GPA, gpas, 1)).isFalse(); // 0x1004 inside an 8-byte entry
        // 2 vCPUs: 0 and 1; a uint32 read as a negative long is no vCPU either
        assertThat(TWO_LEVEL.column(ColumnRule.CPU, new long[] {0, 1}, 2)).isTrue();
        assertThat(TWO_LEVEL.column(ColumnRule.CPU, new long[] {0, 2}, 2)).isFalse();
        assertThat(TWO_LEVEL.column(ColumnRule.CPU, new long[] {-1}, 1)).isFalse();
        assertThat(TWO_LEVEL.column(ColumnRule.VALUE, new long[] {0xffff_ffffL}, 1)).isTrue();
        assertThat(TWO_LEVEL.column(ColumnRule.VALUE, new long[] {0x1_0000_0000L}, 1)).isFalse();
        assertThat(PAE.column(ColumnRule.VALUE, new long[] {0x8000_0000_0010_0063L}, 1)).isTrue();
        // pae top tables are 32-byte PDPTs below 4 GiB; 4level ones whole pages anywhere
        assertThat(PAE.column(ColumnRule.TOP_TABLE, new long[] {0x20, 0xffff_ffe0L}, 2)).isTrue();
        assertThat(PAE.column(ColumnRule.TOP_TABLE, new long[] {0x10}, 1)).isFalse();
        assertThat(PAE.column(ColumnRule.TOP_TABLE, new long[] {0x1_0000_0000L}, 1)).isFalse();
        assertThat(FOUR_LEVEL.column(ColumnRule.TOP_TABLE, new long[] {0x20}, 1)).isFalse();
        assertThat(FOUR_LEVEL.column(ColumnRule.VADDR, new long[] {0x7fff_ffff_ffffL, 0xffff_8000_0000_0000L}, 2))
                .isTrue();
        assertThat(FOUR_LEVEL.column(ColumnRule.VADDR, new long[] {0x8000_0000_0000L}, 1)).isFalse();
        assertThat(PAE.column(ColumnRule.VADDR, new long[] {0x1_0000_0000L}, 1)).isFalse();
        // absent (-1) passes anywhere, a user top table's entry only in 4level
        assertThat(PAE.column(ColumnRule.USER_ENTRY_GPA, new long[] {NONE}, 1)).isTrue();
        assertThat(PAE.column(ColumnRule.USER_ENTRY_GPA, new long[] {0x1000}, 1)).isFalse();
        assertThat(FOUR_LEVEL.column(ColumnRule.USER_ENTRY_GPA, new long[] {NONE, 0x1000}, 2)).isTrue();
        // 2level has levels 1 and 2
        assertThat(TWO_LEVEL.column(ColumnRule.LEVEL, new long[] {1, 2}, 2)).isTrue();
        assertThat(TWO_LEVEL.column(ColumnRule.LEVEL, new long[] {3}, 1)).isFalse();
        assertThat(TWO_LEVEL.column(ColumnRule.LEVEL, new long[] {0}, 1)).isFalse();
        // 2level's 32-bit physical addresses end at pfn 0xfffff
        assertThat(TWO_LEVEL.column(ColumnRule.PFN, new long[] {0xfffff}, 1)).isTrue();
        assertThat(TWO_LEVEL.column(ColumnRule.PFN, new long[] {0x100000}, 1)).isFalse();
    }

    @Test
    void flushesAlwaysAndCr3LoadsOutside4levelAreCheckedAcrossTheirFields() {
        // a flush's fields depend on its scope; a user root exists only in 4level
        assertThat(FOUR_LEVEL.checksAcrossFields(EventType.FLUSH_TLB)).isTrue();
        assertThat(FOUR_LEVEL.checksAcrossFields(EventType.WRITE_CR3)).isFalse();
        assertThat(PAE.checksAcrossFields(EventType.WRITE_CR3)).isTrue();
        assertThat(PAE.checksAcrossFields(EventType.SET_PGD)).isFalse();
    }
}
