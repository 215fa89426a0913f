package dev.mmutrace.trace.generate;

/**
 * boot: init_mm built, pinned and loaded on every vCPU (done by {@link GuestKernel#boot}); then
 * rounds of what late boot does to kernel mappings, module loading's vmalloc: 4 pages mapped with
 * set_pte_at on init_mm, later vfree'd (cleared) and flushed everywhere with flush_tlb_kernel_range.
 */
final class BootScript implements WorkloadScript {
    private static final int PAGES = 4;

    @Override
    public void setup(GuestKernel k) {
    }

    @Override
    public void round(GuestKernel k, int round) {
        long base = k.layout.vmalloc() + ((long) (round % 8) * PAGES << 12);
        long[] frames = new long[PAGES];
        for (int i = 0; i < PAGES; i++) {
            frames[i] = k.allocateData();
            k.setKernelPteAt(0, base + ((long) i << 12), k.layout.kernelPte(frames[i]));
        }
        for (int i = 0; i < PAGES; i++) {
            k.setKernelPteAt(0, base + ((long) i << 12), 0);
            k.freeData(frames[i]);
        }
        for (int cpu = 0; cpu < k.vcpus; cpu++) {
            k.flushAll(cpu);
        }
    }

    @Override
    public int naturalRounds() {
        return 4;
    }
}
