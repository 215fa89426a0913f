package dev.mmutrace.trace.generate;

/**
 * kmap-churn (32-bit): a file server copying highmem page-cache pages. Each round is a
 * kmap_atomic on one vCPU: a plain set_pte of the vCPU's kmap slot (no vaddr), then
 * kunmap_atomic's pte_clear (set_pte_at on init_mm) and a flush of that one page. Every 16th
 * round is a kmap() of 4 pages through the pkmap area instead, ended by flush_all_zero_pkmaps:
 * the entries cleared and a global flush on every vCPU.
 */
final class KmapChurnScript implements WorkloadScript {
    private static final int SLOTS_PER_CPU = 8;
    private static final long PKMAP_OFFSET = 0x10_0000L;

    @Override
    public void setup(GuestKernel k) {
        Processes.exec(k, 0, null);
    }

    @Override
    public void round(GuestKernel k, int round) {
        Layout l = k.layout;
        int cpu = round % k.vcpus;
        if (round % 16 == 15) {
            long base = l.kmapAtomic() + PKMAP_OFFSET;
            for (int i = 0; i < 4; i++) {
                k.setKernelPteAt(cpu, base + ((long) i << 12), l.kernelPte(highmemPage(round + i)));
            }
            for (int i = 0; i < 4; i++) {
                k.setKernelPteAt(cpu, base + ((long) i << 12), 0);
            }
            for (int c = 0; c < k.vcpus; c++) {
                k.flushAll(c);
            }
            return;
        }
        long va = l.kmapAtomic() + ((long) ((cpu % 16) * SLOTS_PER_CPU + round % 4) << 12);
        k.setKernelPte(cpu, va, l.kernelPte(highmemPage(round)));
        k.setKernelPteAt(cpu, va, 0);
        k.flushOne(cpu, va);
    }

    /** One of the 64 highmem frames at the top of guest memory. */
    private static long highmemPage(int n) {
        return Layout.HIGHMEM + (n * 7L) % (Layout.PFN_LIMIT - Layout.HIGHMEM);
    }

    @Override
    public int naturalRounds() {
        return 64;
    }
}
