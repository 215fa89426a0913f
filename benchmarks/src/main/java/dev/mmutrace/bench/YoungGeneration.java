package dev.mmutrace.bench;

import static com.google.common.base.Preconditions.checkArgument;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.util.Comparator;
import java.util.List;

/**
 * The young generation of this JVM's heap as its management beans report it at one moment: how
 * many young collections there have been, and the bytes committed to eden and the survivor
 * spaces. {@link WarmupRule} reads a child's warm-up from a sequence of these.
 */
record YoungGeneration(long collections, long committedBytes) {
    YoungGeneration {
        checkArgument(collections >= 0 && committedBytes >= 0, "counts must be >= 0: %s collections, %s bytes",
                collections, committedBytes);
    }

    /**
     * Now, from the pools whose names hold {@code Eden} or {@code Survivor} (every HotSpot
     * collector names its young pools so) and the young collector: the one that manages an eden
     * pool and the fewest pools (the Parallel collector's {@code PS Scavenge}, the launcher's),
     * not the full collector that manages the old generation as well.
     */
    static YoungGeneration now() {
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getName().contains("Eden") || p.getName().contains("Survivor")).toList();
        long committed = pools.stream().mapToLong(p -> p.getUsage().getCommitted()).sum();
        long collections = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .filter(c -> List.of(c.getMemoryPoolNames()).stream().anyMatch(n -> n.contains("Eden")))
                .min(Comparator.comparingInt((GarbageCollectorMXBean c) -> c.getMemoryPoolNames().length))
                .map(c -> Math.max(0, c.getCollectionCount())).orElse(0L);
        return new YoungGeneration(collections, committed);
    }
}
