package dev.mmutrace.replay;

import dev.mmutrace.replay.mmu.EntryFormat;
import dev.mmutrace.replay.mmu.Walker;
import dev.mmutrace.trace.TraceHeader;

/**
 * What every model may read during a replay: the trace's header, the shared guest memory, and the
 * shared MMU pieces built on it (entry format, walker). A model that keeps TLBs makes
 * its own {@link dev.mmutrace.replay.mmu.TlbSet} from {@link #format()}.
 */
public interface ReplayContext {

    TraceHeader header();

    /** The guest's page tables, shared by all models, holding the state before the current event's store. */
    GuestMemory memory();

    /** The entry layout of the trace's paging mode and CPU features. */
    default EntryFormat format() {
        return new EntryFormat(header().pagingMode(), header().cpuFeatures());
    }

    /**
     * The walker over {@link #memory()}. The engine hands every model the same one; it holds no
     * state of its own, and its A/D updates land in the shared memory.
     */
    default Walker walker() {
        return new Walker(format(), memory());
    }
}
