package dev.mmutrace.trace.generate;

import dev.mmutrace.trace.Access;

/**
 * ctxswitch-storm: more single-threaded processes than lguest's 4 cached shadow pgdirs (at least
 * 8, and at least vCPUs + 5), switched round-robin across the vCPUs; every third switch the
 * process faults in one more heap page (up to 12), so shadows have something to refill.
 */
final class ContextSwitchStormScript implements WorkloadScript {
    private static final int MAX_EXTRA_PAGES = 12;
    private GuestMm[] tasks;
    private int[] extraPages;
    private int next;

    @Override
    public void setup(GuestKernel k) {
        int n = Math.max(8, k.vcpus + 5);
        tasks = new GuestMm[n];
        extraPages = new int[n];
        for (int i = 0; i < n; i++) {
            tasks[i] = Processes.exec(k, i % k.vcpus, null);
        }
    }

    @Override
    public void round(GuestKernel k, int round) {
        int cpu = round % k.vcpus;
        int t = nextTaskFor(k, cpu);
        k.switchTo(cpu, tasks[t]);
        if (round % 3 == 0 && extraPages[t] < MAX_EXTRA_PAGES) {
            long va = k.layout.userHeap() + ((long) (16 + extraPages[t]++) << 12);
            k.fault(cpu, tasks[t], va, Access.Kind.WRITE);
        }
    }

    /** The next process in round-robin order that no other vCPU is running. */
    private int nextTaskFor(GuestKernel k, int cpu) {
        for (int tries = 0; ; tries++) {
            int t = next;
            next = (next + 1) % tasks.length;
            boolean elsewhere = false;
            for (int c = 0; c < k.vcpus; c++) {
                elsewhere |= c != cpu && k.current[c] == tasks[t];
            }
            if (!elsewhere || tries > tasks.length) {
                return t;
            }
        }
    }

    @Override
    public int naturalRounds() {
        return 48;
    }
}
