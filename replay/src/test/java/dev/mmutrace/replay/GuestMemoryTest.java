package dev.mmutrace.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.trace.InitialMemory;
import dev.mmutrace.trace.PagingMode;
import org.junit.jupiter.api.Test;

/** Known and unknown slots (SPEC §2.2), 4level: 8-byte entries, 512 to a frame. */
class GuestMemoryTest {
    @Test
    void neverWrittenSlotIsUnknownUntilWrittenWhenMemoryIsUnknown() {
        GuestMemory m = new GuestMemory(PagingMode.FOUR_LEVEL, InitialMemory.UNKNOWN);
        assertThat(m.isKnown(0x5008)).isFalse();
        m.write(0x5008, 0x6007);
        assertThat(m.isKnown(0x5008)).isTrue();
        assertThat(m.read(0x5008)).isEqualTo(0x6007);
        // the neighbour in the same frame (entry 2 at 0x5010) is still unknown
        assertThat(m.isKnown(0x5010)).isFalse();
    }

    @Test
    void everySlotIsAKnownZeroWhenMemoryStartsEmpty() {
        GuestMemory m = new GuestMemory(PagingMode.FOUR_LEVEL, InitialMemory.EMPTY);
        // a frame no event touched, and one that holds a single written entry
        assertThat(m.isKnown(0x7ff8)).isTrue();
        assertThat(m.read(0x7ff8)).isZero();
        m.write(0x5008, 0x6007);
        assertThat(m.isKnown(0x5010)).isTrue();
        assertThat(m.read(0x5010)).isZero();
        assertThat(m.read(0x5008)).isEqualTo(0x6007);
        // reading creates nothing: only the written frame is held
        assertThat(m.frameCount()).isEqualTo(1);
    }

    @Test
    void zeroingAFrameClearsWhatWasWrittenAndMakesEverySlotKnown() {
        GuestMemory m = new GuestMemory(PagingMode.FOUR_LEVEL, InitialMemory.UNKNOWN);
        m.write(0x5008, 0x6007);
        m.write(0x5ff8, 0x7007);
        m.setBits(0x5008, 0x60);
        m.zeroFrame(0x5);
        assertThat(m.read(0x5008)).isZero();
        assertThat(m.read(0x5ff8)).isZero();
        // entry 100 was never written, and is now a known 0
        assertThat(m.isKnown(0x5000 + 8 * 100)).isTrue();
    }

    @Test
    void a2levelFrameHas1024SlotsToTheLast() {
        // 2level: 4-byte entries, 1024 to a frame; entry 1023 is at offset 0xffc
        GuestMemory m = new GuestMemory(PagingMode.TWO_LEVEL, InitialMemory.UNKNOWN);
        m.write(0x5000, 0x6007);
        m.write(0x5ffc, 0x7007);
        assertThat(m.read(0x5ffc)).isEqualTo(0x7007);
        m.zeroFrame(0x5);
        assertThat(m.read(0x5000)).isZero();
        assertThat(m.read(0x5ffc)).isZero();
        // an A bit set on a written entry after the zeroing
        m.write(0x5ffc, 0x7007);
        m.setBits(0x5ffc, 0x20);
        assertThat(m.read(0x5ffc)).isEqualTo(0x7027);
    }
}
