package dev.mmutrace.trace.generate;

import dev.mmutrace.trace.PagingMode;
import java.util.Optional;

/** The synthetic workloads {@code mmutrace generate} knows; docs/workloads.md says what each shows. */
public enum Workload {
    BOOT("boot", PagingMode.FOUR_LEVEL),
    FORK_EXEC_EXIT("fork-exec-exit", PagingMode.FOUR_LEVEL),
    CTXSWITCH_STORM("ctxswitch-storm", PagingMode.FOUR_LEVEL),
    KMAP_CHURN("kmap-churn", PagingMode.PAE),
    MMAP_MUNMAP("mmap-munmap", PagingMode.FOUR_LEVEL),
    BUGGY_GUEST("buggy-guest", PagingMode.FOUR_LEVEL),
    MIXED("mixed", PagingMode.FOUR_LEVEL);

    private final String wireName;
    private final PagingMode defaultMode;

    Workload(String wireName, PagingMode defaultMode) {
        this.wireName = wireName;
        this.defaultMode = defaultMode;
    }

    public String wireName() {
        return wireName;
    }

    /** kmap-churn needs highmem, hence a 32-bit mode; the rest default to x86-64. */
    public PagingMode defaultMode() {
        return defaultMode;
    }

    public static Optional<Workload> fromWireName(String name) {
        for (Workload w : values()) {
            if (w.wireName.equals(name)) {
                return Optional.of(w);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
