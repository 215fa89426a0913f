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
}
