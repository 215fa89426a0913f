package dev.mmutrace.trace;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The paging-related CPU state the guest ran with: EFER.NXE, CR0.WP, CR4.PSE, CR4.PGE,
 * CR4.SMEP, CR4.SMAP and MAXPHYADDR (bits of physical address the CPU implements).
 */
public record CpuFeatures(boolean nxe, boolean wp, boolean pse, boolean pge, boolean smep, boolean smap,
        int maxPhyAddr) {

    /** What a Linux guest of the seeds' era ran with on a 2009 server: NX, WP, PSE, PGE; no SMEP/SMAP. */
    public static final CpuFeatures LINUX_DEFAULT = new CpuFeatures(true, true, true, true, false, false, 40);

    public CpuFeatures {
        checkArgument(maxPhyAddr >= 32 && maxPhyAddr <= 52, "max_phys_addr must be 32..52, got %s", maxPhyAddr);
    }
}
