package dev.mmutrace.replay.mmu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.replay.GuestMemory;
import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.CpuFeatures;
import dev.mmutrace.trace.InitialMemory;
import dev.mmutrace.trace.PagingMode;
import org.junit.jupiter.api.Test;

/**
 * TLB rules of SPEC §4 on hand-built 4level tables. Layout used throughout: PML4 at 0x100000, PDPT
 * at 0x101000, PD at 0x102000, PT at 0x103000. vaddr 0x40201000 has indices L4 0, L3 1
 * (bits 38:30 = 1), L2 1 (bits 29:21 = 0x201 & 511), L1 1 (bits 20:12 = 0x40201 & 511), so its
 * slots are 0x100000, 0x101008, 0x102008 and 0x103008.
 */
class TlbSetTest {
    static final long P = 1, RW = 2, US = 4, A = 0x20, D = 0x40, PS = 0x80, G = 0x100;
    static final long CR3 = 0x100000;
    static final long VA = 0x40201000L;
    static final long PTE = 0x103008;
    static final long PDE = 0x102008;
    static final long TABLE = P | RW | US;

    final CpuFeatures pgeOn = new CpuFeatures(true, true, true, true, false, false, 40);
    final CpuFeatures pgeOff = new CpuFeatures(true, true, true, false, false, false, 40);

    GuestMemory memory = new GuestMemory(PagingMode.FOUR_LEVEL, InitialMemory.UNKNOWN);
    final Walk walk = new Walk();

    void upperTables() {
        memory.write(0x100000, 0x101000 | TABLE);
        memory.write(0x101008, 0x102000 | TABLE);
        memory.write(0x102008, 0x103000 | TABLE);
    }

    /**
     * A TLB of {@code vcpus} vCPUs and the walker that fills it, over the test's tables and with
     * CPU features {@code f}; its reads and writes are supervisor accesses under {@link #CR3}.
     */
    final class Mmu {
        final TlbSet tlb;
        private final Walker walker;

        Mmu(CpuFeatures f, int vcpus) {
            EntryFormat format = new EntryFormat(PagingMode.FOUR_LEVEL, f);
            tlb = new TlbSet(format, vcpus);
            walker = new Walker(format, memory);
        }

        Translation read(int cpu, long va) {
            return tlb.translate(cpu, CR3, va, Access.Kind.READ, false, walker, walk);
        }

        Translation write(int cpu, long va) {
            return tlb.translate(cpu, CR3, va, Access.Kind.WRITE, false, walker, walk);
        }
    }

    /**
     * The test's tables with {@code ptes} in the PTE slots from VA's on (VA, VA + 0x1000, ...),
     * and a PGE-on MMU of {@code vcpus} vCPUs over them.
     */
    Mmu withPtes(int vcpus, long... ptes) {
        upperTables();
        for (int i = 0; i < ptes.length; i++) {
            memory.write(PTE + 8L * i, ptes[i]);
        }
        return new Mmu(pgeOn, vcpus);
    }

    /** The first slot from {@code from} up that falls in the same counting bucket as {@code slot}. */
    static long slotInBucketOf(long slot, long from) {
        long other = from;
        while (TlbSet.slotBucket(other) != TlbSet.slotBucket(slot)) {
            other += 8;
        }
        return other;
    }

    @Test
    void readThenWriteRewalksAndSetsDirty() {
        Mmu mmu = withPtes(1, 0x5000 | P | RW | US);
        TlbSet tlb = mmu.tlb;
        // A read fills the TLB and sets A on the PTE, not D (SDM 4.8: D only on a write).
        assertThat(mmu.read(0, VA)).isEqualTo(Translation.FILLED);
        assertThat(memory.read(PTE) & (A | D)).isEqualTo(A);
        assertThat(tlb.holdsDirty(0, VA)).isFalse();
        // The write cannot use the read-made entry: it re-walks (FILLED, not HIT) and sets D.
        assertThat(mmu.write(0, VA)).isEqualTo(Translation.FILLED);
        assertThat(memory.read(PTE) & (A | D)).isEqualTo(A | D);
        // Now the entry carries D, so the next write hits.
        assertThat(mmu.write(0, VA)).isEqualTo(Translation.HIT);
        assertThat(tlb.size(0)).isEqualTo(1);
    }

    @Test
    void invlpgInsideLargePageDropsTheWholePage() {
        upperTables();
        // PDE slot 0x102008 as a 2 MiB leaf: vaddrs 0x40200000..0x403fffff.
        memory.write(PDE, 0x20_0000 | P | RW | US | PS);
        Mmu mmu = new Mmu(pgeOn, 1);
        TlbSet tlb = mmu.tlb;
        assertThat(mmu.read(0, 0x40201234L)).isEqualTo(Translation.FILLED);
        assertThat(walk.leafLevel()).isEqualTo(2);
        // Another 4 KiB page of the same 2 MiB page hits the one large entry.
        assertThat(mmu.read(0, 0x403ff000L)).isEqualTo(Translation.HIT);
        FlushOutcome o = tlb.flushPage(0, 0x40310000L);
        assertThat(o.removed()).isEqualTo(1);
        assertThat(tlb.holds(0, 0x40201234L)).isFalse();
    }

    @Test
    void cr3ReloadKeepsGlobalEntriesOnlyUnderPge() {
        upperTables();
        memory.write(PTE, 0x5000 | P | RW | G);
        memory.write(PTE + 8, 0x6000 | P | RW);
        for (CpuFeatures f : new CpuFeatures[] {pgeOn, pgeOff}) {
            Mmu mmu = new Mmu(f, 1);
            TlbSet tlb = mmu.tlb;
            mmu.read(0, VA);
            mmu.read(0, VA + 0x1000);
            tlb.flushNonGlobal(0);
            // G is honoured only with CR4.PGE (SDM 4.10.2.4); without it the reload drops both.
            assertThat(tlb.holds(0, VA)).isEqualTo(f.pge());
            assertThat(tlb.holds(0, VA + 0x1000)).isFalse();
        }
    }

    @Test
    void downgradeMarksEveryVcpuAndANeededFlushRemovesIt() {
        Mmu mmu = withPtes(2, 0x5000 | P | RW | US);
        TlbSet tlb = mmu.tlb;
        mmu.read(0, VA);
        mmu.read(1, VA);
        // RW -> RO is a downgrade: both vCPUs' translations become stale.
        assertThat(tlb.onEntryChange(PTE, memory.read(PTE), 0x5000 | P | US)).isEqualTo(2);
        memory.write(PTE, 0x5000 | P | US);
        assertThat(tlb.isStale(0, VA)).isTrue();
        assertThat(tlb.isStale(1, VA)).isTrue();
        FlushOutcome o = tlb.flushPage(0, VA);
        assertThat(o.needed()).isTrue();
        assertThat(o.staleRemoved()).isEqualTo(1);
        // vCPU 1 still holds its stale copy; a read through it is the first use: a missed flush.
        assertThat(mmu.read(1, VA)).isEqualTo(Translation.STALE_HIT);
        assertThat(mmu.read(1, VA)).isEqualTo(Translation.STALE_REUSED);
    }

    @Test
    void upgradesMakeNothingStaleSoTheFlushIsWasted() {
        Mmu mmu = withPtes(1, 0x5000 | P | US);
        TlbSet tlb = mmu.tlb;
        mmu.read(0, VA);
        // RO -> RW and setting A/D are upgrades: x86 needs no flush for them.
        assertThat(tlb.onEntryChange(PTE, memory.read(PTE), 0x5000 | P | RW | US | A | D)).isZero();
        FlushOutcome o = tlb.flushAll(0);
        assertThat(o.removed()).isEqualTo(1);
        assertThat(o.wasted()).isTrue();
        assertThat(o.overBroad()).isFalse();
    }

    @Test
    void fullFlushOfOneStalePageIsOverBroadButNotOfTwo() {
        Mmu mmu = withPtes(1, 0x5000 | P | RW, 0x6000 | P | RW);
        TlbSet tlb = mmu.tlb;
        mmu.read(0, VA);
        mmu.read(0, VA + 0x1000);
        tlb.onEntryChange(PTE, memory.read(PTE), 0);
        // One stale page: INVLPG of VA would have been enough.
        FlushOutcome one = tlb.flushAll(0);
        assertThat(one.staleRemoved()).isEqualTo(1);
        assertThat(one.overBroad()).isTrue();

        mmu.read(0, VA + 0x1000);
        memory.write(PTE, 0x5000 | P | RW);
        mmu.read(0, VA);
        tlb.onEntryChange(PTE, memory.read(PTE), 0);
        tlb.onEntryChange(PTE + 8, memory.read(PTE + 8), 0);
        // Two stale pages share no vaddr: no single INVLPG covers them.
        FlushOutcome two = tlb.flushAll(0);
        assertThat(two.staleRemoved()).isEqualTo(2);
        assertThat(two.overBroad()).isFalse();
    }

    @Test
    void unlinkingThePageTableMakesItsTranslationsStale() {
        Mmu mmu = withPtes(1, 0x5000 | P | RW);
        TlbSet tlb = mmu.tlb;
        mmu.read(0, VA);
        // Clearing the PDE (free_pgtables) takes the PT page away from under the cached entry.
        assertThat(tlb.onEntryChange(PDE, memory.read(PDE), 0)).isEqualTo(1);
        // The PT page is released while the stale entry lives: a missed flush naming the page.
        long[] seen = new long[2];
        assertThat(tlb.onTableFreed(0x103, (cpu, vaddr) -> {
            seen[0] = cpu;
            seen[1] = vaddr;
        })).isEqualTo(1);
        assertThat(seen[1]).isEqualTo(VA);
        // Reported once: freeing again finds nothing new.
        assertThat(tlb.onTableFreed(0x103, (cpu, vaddr) -> { })).isZero();
    }

    @Test
    void flushingOneVcpuDropsExactlyItsEntriesWhereverTheyWereFilled() {
        upperTables();
        for (int i = 0; i < 4; i++) {
            memory.write(PTE + 8 * i, (0x5000 + 0x1000L * i) | P | RW);
        }
        Mmu mmu = new Mmu(pgeOn, 2);
        TlbSet tlb = mmu.tlb;
        // vCPU 0 caches pages 0, 1, 2; vCPU 1 caches pages 1 and 3, filled in between.
        mmu.read(0, VA);
        mmu.read(1, VA + 0x1000);
        mmu.read(0, VA + 0x1000);
        mmu.read(1, VA + 0x3000);
        mmu.read(0, VA + 0x2000);
        // An INVLPG takes the middle one of vCPU 0's three out of the TLB.
        assertThat(tlb.flushPage(0, VA + 0x1000).removed()).isEqualTo(1);
        // The full flush then finds the two vCPU 0 still holds, and vCPU 1 keeps its two.
        assertThat(tlb.flushAll(0).removed()).isEqualTo(2);
        assertThat(tlb.size(0)).isZero();
        assertThat(tlb.size(1)).isEqualTo(2);
        assertThat(tlb.holds(1, VA + 0x1000)).isTrue();
        assertThat(tlb.holds(1, VA + 0x3000)).isTrue();
        // Refilled after the flush, vCPU 0 holds one entry again, and a flush removes just that one.
        mmu.read(0, VA + 0x2000);
        assertThat(tlb.flushAll(0).removed()).isEqualTo(1);
        assertThat(tlb.flushAll(1).removed()).isEqualTo(2);
    }

    @Test
    void nonGlobalFlushKeepsTheGlobalEntriesBetweenTheOthers() {
        upperTables();
        // pages 0 and 2 global, 1 and 3 not
        for (int i = 0; i < 4; i++) {
            memory.write(PTE + 8 * i, (0x5000 + 0x1000L * i) | P | RW | (i % 2 == 0 ? G : 0));
        }
        Mmu mmu = new Mmu(pgeOn, 1);
        TlbSet tlb = mmu.tlb;
        for (int i = 0; i < 4; i++) {
            mmu.read(0, VA + 0x1000L * i);
        }
        // A cr3 load under CR4.PGE drops pages 1 and 3 only (SDM 4.10.4.1).
        assertThat(tlb.flushNonGlobal(0).removed()).isEqualTo(2);
        assertThat(tlb.holds(0, VA)).isTrue();
        assertThat(tlb.holds(0, VA + 0x1000)).isFalse();
        assertThat(tlb.holds(0, VA + 0x2000)).isTrue();
        assertThat(tlb.holds(0, VA + 0x3000)).isFalse();
        assertThat(tlb.flushAll(0).removed()).isEqualTo(2);
    }

    @Test
    void missedFlushesOfOneFreedTableComeByVcpuThenVaddr() {
        Mmu mmu = withPtes(2, 0x5000 | P | RW, 0x6000 | P | RW);
        TlbSet tlb = mmu.tlb;
        // Filled in another order than the report's: vCPU 1 first, and vCPU 0's higher page first.
        mmu.read(1, VA + 0x1000);
        mmu.read(0, VA + 0x1000);
        mmu.read(0, VA);
        // Clearing the PDE makes all three stale (each read the PDE slot on its walk).
        assertThat(tlb.onEntryChange(PDE, memory.read(PDE), 0)).isEqualTo(3);
        StringBuilder order = new StringBuilder();
        assertThat(tlb.onTableFreed(0x103, (cpu, vaddr) -> order.append(cpu).append(':')
                .append(Long.toHexString(vaddr)).append(' '))).isEqualTo(3);
        assertThat(order.toString()).isEqualTo("0:40201000 0:40202000 1:40202000 ");
    }

    @Test
    void aStoreToAnUpperSlotNoEntryReadMarksNothingEvenInASharedBucket() {
        Mmu mmu = withPtes(1, 0x5000 | P | RW);
        TlbSet tlb = mmu.tlb;
        mmu.read(0, VA);
        // A PD slot of another table that falls in the same counting bucket as PDE 0x102008: the
        // bucket says "maybe", and the exact check of each entry's path finds that none read it.
        long other = slotInBucketOf(PDE, 0x200000);
        assertThat(tlb.onEntryChange(other, 0x300000 | TABLE, 0)).isZero();
        assertThat(tlb.isStale(0, VA)).isFalse();
        // Once the entry is flushed, the PDE is read by nothing: clearing it marks nothing either.
        tlb.flushAll(0);
        assertThat(tlb.onEntryChange(PDE, memory.read(PDE), 0)).isZero();
        // Filled again, the same store marks the entry (the count came back with it).
        mmu.read(0, VA);
        assertThat(tlb.onEntryChange(PDE, memory.read(PDE), 0)).isEqualTo(1);
    }

    @Test
    void aLeafStoreFindsItsReadersThroughTheCountsAndNoneOnceFlushed() {
        Mmu mmu = withPtes(2, 0x5000 | P | RW);
        TlbSet tlb = mmu.tlb;
        mmu.read(0, VA);
        mmu.read(1, VA);
        // A PTE slot elsewhere in the same bucket as PTE 0x103008, read by no entry: nothing marked.
        long other = slotInBucketOf(PTE, 0x300000);
        assertThat(tlb.onEntryChange(other, 0x7000 | P | RW, 0)).isZero();
        // vCPU 0 flushes: vCPU 1's entry still reads the PTE, and the clear marks it alone.
        tlb.flushAll(0);
        assertThat(tlb.onEntryChange(PTE, memory.read(PTE), 0)).isEqualTo(1);
        assertThat(tlb.isStale(1, VA)).isTrue();
        // Both flushed: the PTE is read by nothing, so setting it back and clearing again marks nothing.
        tlb.flushAll(1);
        assertThat(tlb.onEntryChange(PTE, 0x5000 | P | RW, 0)).isZero();
    }
}
