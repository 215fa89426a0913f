package dev.mmutrace.replay.mmu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.trace.CpuFeatures;
import dev.mmutrace.trace.PagingMode;
import org.junit.jupiter.api.Test;

class ReverseMapTest {
    static final long TABLE = 0x7;

    @Test
    void ptePageUnderTwoPmdsResolvesToBothVaddrsAndUnlinkingRemovesThem() {
        ReverseMap rmap = new ReverseMap(new EntryFormat(PagingMode.FOUR_LEVEL, CpuFeatures.LINUX_DEFAULT));
        rmap.nameRoot(0x100000);
        rmap.onTableEntry(0x100000, 4, 0, 0x101000 | TABLE); // PML4[0] -> PDPT
        rmap.onTableEntry(0x101008, 3, 0, 0x102000 | TABLE); // PDPT[1] -> PD: 1 GiB..2 GiB
        rmap.onTableEntry(0x102008, 2, 0, 0x103000 | TABLE); // PD[1] -> PT: 0x40200000
        rmap.onTableEntry(0x102018, 2, 0, 0x103000 | TABLE); // PD[3] -> same PT: 0x40600000
        // PT slot 5 maps 5 pages above each PT's base: 0x40205000 and 0x40605000, 4 KiB each.
        assertThat(rmap.mappings(0x103028)).containsExactlyInAnyOrder(
                new ReverseMap.Mapping(0x100000, 0x40205000L, 4096),
                new ReverseMap.Mapping(0x100000, 0x40605000L, 4096));
        rmap.onTableEntry(0x102008, 2, 0x103000 | TABLE, 0);
        assertThat(rmap.mappings(0x103028)).containsExactly(new ReverseMap.Mapping(0x100000, 0x40605000L, 4096));
        rmap.onTableEntry(0x102018, 2, 0x103000 | TABLE, 0);
        assertThat(rmap.mappings(0x103028)).isEmpty();
    }

    @Test
    void kernelHalfVaddrsComeBackCanonical() {
        ReverseMap rmap = new ReverseMap(new EntryFormat(PagingMode.FOUR_LEVEL, CpuFeatures.LINUX_DEFAULT));
        rmap.nameRoot(0x100000);
        // PML4 slot 273 (0x888 >> 3): 273 << 39 = 0x888000000000, sign-extended 0xffff888000000000.
        rmap.onTableEntry(0x100000 + 273 * 8, 4, 0, 0x101000 | TABLE);
        assertThat(rmap.mappings(0x101000)).containsExactly(
                new ReverseMap.Mapping(0x100000, 0xffff_8880_0000_0000L, 1L << 30));
    }

    @Test
    void paeSlotsBelongToTheirOwn32ByteRoot() {
        ReverseMap rmap = new ReverseMap(new EntryFormat(PagingMode.PAE, CpuFeatures.LINUX_DEFAULT));
        // Two PDPTs in one frame, at 0x200000 and 0x200020; the second one's slot 3 (0xC0000000).
        rmap.nameRoot(0x200000);
        rmap.nameRoot(0x200020);
        rmap.onTableEntry(0x200038, 3, 0, 0x300000 | 1);
        // PD slot 2 under it: 0xC0000000 + 2 * 2 MiB = 0xC0400000, 2 MiB.
        assertThat(rmap.mappings(0x300010)).containsExactly(new ReverseMap.Mapping(0x200020, 0xC040_0000L, 1L << 21));
    }
}
