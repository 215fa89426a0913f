package dev.mmutrace.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmutrace.replay.mmu.ReverseMap;
import dev.mmutrace.trace.AllocPt;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.SetPgd;
import dev.mmutrace.trace.SetPmd;
import dev.mmutrace.trace.SetPud;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.WriteCr3;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine keeps the reverse map for the models that ask for it when they are made, and only
 * then. Tables (4level): PML4 at 0x100000, PDPT 0x101000, PD 0x102000, PT 0x103000, linked by
 * slot 0 of the PML4, slot 1 of the PDPT (0x101008) and slot 1 of the PD (0x102008). PTE slot
 * 0x103008 (index 1) then maps vaddr 1 << 30 (L3 index 1) + 1 << 21 (L2 index 1) + 1 << 12
 * (L1 index 1) = 0x40201000, one 4 KiB page under root 0x100000.
 */
class ReplayEngineReverseMapTest {
    static final long TABLE = 0x7; // present, writable, user
    static final TraceHeader HEADER = TraceHeader.defaults(PagingMode.FOUR_LEVEL, 1, 0x10000);

    static final List<TraceEvent> BUILD = List.of(
            new WriteCr3(0, 1, 0x100000, WriteCr3.Root.KERNEL),
            new AllocPt(0, 2, 0x101, 3, false),
            new SetPgd(0, 3, 0x100000, 0x101000 | TABLE, TraceEvent.NO_ADDRESS),
            new AllocPt(0, 4, 0x102, 2, false),
            new SetPud(0, 5, 0x101008, 0x102000 | TABLE),
            new AllocPt(0, 6, 0x103, 1, false),
            new SetPmd(0, 7, 0x102008, 0x103000 | TABLE));

    /** A model that does nothing but, if {@code asks}, take the reverse map and read one slot at the end. */
    static final class Reader implements MemoryModel {
        final ReverseMap map;
        final List<ReverseMap.Mapping> atEnd = new ArrayList<>();

        Reader(ReplayContext context, boolean asks) {
            this.map = asks ? context.reverseMap() : null;
        }

        @Override
        public String name() {
            return "reader";
        }

        @Override
        public void onEvent(long index, TraceEvent event) {
        }

        @Override
        public void onAccess(long index, AccessRequest access) {
        }

        @Override
        public void onEnd(long events) {
            if (map != null) {
                atEnd.addAll(map.mappings(0x103008));
            }
        }
    }

    static final class ReaderFactory implements ModelFactory {
        final boolean asks;
        Reader made;

        ReaderFactory(boolean asks) {
            this.asks = asks;
        }

        @Override
        public String name() {
            return "reader";
        }

        @Override
        public MemoryModel create(ReplayContext context, dev.mmutrace.replay.observe.ObservationSink sink,
                ModelOptions options) {
            made = new Reader(context, asks);
            return made;
        }
    }

    @Test
    void aModelThatAskedWhenItWasMadeFindsTheMapKeptCurrent() {
        ReaderFactory f = new ReaderFactory(true);
        ReplayEngine engine = new ReplayEngine(HEADER, List.of(f), ModelOptions.DEFAULTS, (m, o) -> { });
        engine.run(BUILD.iterator());
        assertThat(f.made.atEnd).containsExactly(new ReverseMap.Mapping(0x100000, 0x40201000L, 4096));
        assertThat(engine.reverseMap()).isSameAs(f.made.map);
    }

    @Test
    void whenNoModelAskedTheEngineKeepsNoMapAndSaysSo() {
        ReaderFactory f = new ReaderFactory(false);
        ReplayEngine engine = new ReplayEngine(HEADER, List.of(f), ModelOptions.DEFAULTS, (m, o) -> { });
        engine.run(BUILD.iterator());
        assertThatThrownBy(engine::reverseMap).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no model asked for the reverse map");
    }
}
