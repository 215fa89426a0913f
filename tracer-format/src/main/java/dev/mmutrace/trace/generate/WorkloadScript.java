package dev.mmutrace.trace.generate;

/**
 * One workload, as rounds of guest activity on top of a booted {@link GuestKernel}. A round
 * appends at least one event, so a generator asked for N events always gets there; the workload
 * loops its rounds for as long as it is asked to.
 */
interface WorkloadScript {

    /** The processes the rounds work on, right after boot. */
    void setup(GuestKernel k);

    /** Round {@code round} (0, 1, ...): appends its events to the kernel's output. */
    void round(GuestKernel k, int round);

    /** Rounds in the workload's natural length. */
    int naturalRounds();
}
