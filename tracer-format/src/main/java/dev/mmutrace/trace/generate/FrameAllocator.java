package dev.mmutrace.trace.generate;

import it.unimi.dsi.fastutil.longs.LongArrayList;

/**
 * A deterministic page allocator over one pfn range: the most recently freed frame is handed out
 * first (as Linux's per-cpu free lists do), otherwise the next never-used one. Frames carry no
 * history the trace does not show, because the generator clears every entry it wrote before it
 * frees a table (see {@link GuestKernel}).
 */
final class FrameAllocator {
    private final String pool;
    private final long end;
    private long next;
    private final LongArrayList free = new LongArrayList();

    FrameAllocator(String pool, long first, long end) {
        this.pool = pool;
        this.next = first;
        this.end = end;
    }

    long allocate() {
        if (!free.isEmpty()) {
            return free.removeLong(free.size() - 1);
        }
        if (next >= end) {
            throw new IllegalStateException("the generator's " + pool + " pool is exhausted at pfn " + end);
        }
        return next++;
    }

    void free(long pfn) {
        free.add(pfn);
    }
}
