package dev.mmutrace.trace.generate;

import dev.mmutrace.trace.Access;

/**
 * fork-exec-exit: a shell on vCPU 0 runs commands. Each round forks it (write-protecting its
 * pages, flush, child pinned), runs the child on another vCPU, where it execs a program (new mm
 * pinned and loaded, the forked mm unpinned and torn down), faults in its pages, and exits
 * (back to init_mm, unpin, zap, page tables released).
 */
final class ForkExecExitScript implements WorkloadScript {
    private static final int SHELL_CPU = 0;
    private GuestMm shell;

    @Override
    public void setup(GuestKernel k) {
        shell = Processes.exec(k, SHELL_CPU, null);
    }

    @Override
    public void round(GuestKernel k, int round) {
        k.run(SHELL_CPU, shell);
        GuestMm child = Processes.fork(k, SHELL_CPU, shell);
        int cpu = k.vcpus > 1 ? 1 + round % (k.vcpus - 1) : SHELL_CPU;
        k.switchTo(cpu, child);
        GuestMm program = Processes.exec(k, cpu, child);
        for (int i = 0; i <= round % 3; i++) {
            k.fault(cpu, program, k.layout.userHeap() + ((long) (2 + i) << 12), Access.Kind.WRITE);
        }
        k.exitMmap(cpu, program);
    }

    @Override
    public int naturalRounds() {
        return 6;
    }
}
