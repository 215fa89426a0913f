package dev.mmutrace.report;

/**
 * What Xen's direct paging cost (SPEC §7, §9). {@code hypercalls} counts traps (a multicall batch
 * once); {@code mmuUpdates} counts the entries carried by mmu_update calls; {@code forcedFlushIpis}
 * counts the flushes the TLB-clock filter forced on a type change.
 */
public record XenWork(long hypercalls, long multicalls, long multicallEntries, long mmuUpdates, long ptwrEmulations,
        long pins, long unpins, long fullValidations, long entriesValidated, long typeChanges, long forcedFlushIpis) {
}
