package dev.mmutrace.trace.generate;

import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.WireNamed;
import java.util.Optional;

/** The synthetic workloads {@code mmutrace generate} knows; docs/workloads.md says what each shows. */
public enum Workload implements WireNamed {
    BOOT("boot", PagingMode.FOUR_LEVEL,
            "boot, then 4 rounds of vmalloc: kernel pages mapped, cleared and flushed on every vCPU"),
    FORK_EXEC_EXIT("fork-exec-exit", PagingMode.FOUR_LEVEL,
            "a shell forks 6 children that exec, fault in text, data and stack pages, and exit"),
    CTXSWITCH_STORM("ctxswitch-storm", PagingMode.FOUR_LEVEL,
            "48 round-robin switches between 8 processes: pgdir cache misses and shadow refills"),
    KMAP_CHURN("kmap-churn", PagingMode.PAE,
            "64 rounds of kmap_atomic/kunmap_atomic and kmap() on a file server (32-bit modes only)"),
    MMAP_MUNMAP("mmap-munmap", PagingMode.FOUR_LEVEL,
            "two threads map, fault, mprotect and unmap 4- and 40-page regions: every flush kind"),
    BUGGY_GUEST("buggy-guest", PagingMode.FOUR_LEVEL,
            "a guest with three bugs: a writable page-table mapping, a missed flush, a frame beyond memory"),
    MIXED("mixed", PagingMode.FOUR_LEVEL,
            "fork-exec-exit, context switches, mmap-munmap (and kmap-churn) rounds mixed by the seed");

    private final String wireName;
    private final PagingMode defaultMode;
    private final String description;

    Workload(String wireName, PagingMode defaultMode, String description) {
        this.wireName = wireName;
        this.defaultMode = defaultMode;
        this.description = description;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    /** One line saying what the synthetic guest does, for {@code mmutrace generate --help}. */
    public String description() {
        return description;
    }

    /** kmap-churn needs highmem, hence a 32-bit mode; the rest default to x86-64. */
    public PagingMode defaultMode() {
        return defaultMode;
    }

    public static Optional<Workload> fromWireName(String name) {
        return WireNamed.find(values(), name);
    }

    @Override
    public String toString() {
        return wireName;
    }
}
