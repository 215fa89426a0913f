package dev.mmutrace.replay.mmu;

/** Told of each stale translation that a freed or re-typed frame caught alive: a missed flush. */
@FunctionalInterface
public interface StaleSink {
    /** The stale translation of {@code vaddr} (its page's canonical base) still in vCPU {@code cpu}'s TLB. */
    void missed(int cpu, long vaddr);
}
