package dev.mmutrace.replay.mmu;

import static dev.mmutrace.replay.mmu.AccessOracle.A;
import static dev.mmutrace.replay.mmu.AccessOracle.P;
import static dev.mmutrace.replay.mmu.AccessOracle.PS;
import static dev.mmutrace.replay.mmu.AccessOracle.RW;
import static dev.mmutrace.replay.mmu.AccessOracle.US;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.replay.mmu.AccessOracle.Case;
import dev.mmutrace.replay.mmu.AccessOracle.Expected;
import dev.mmutrace.replay.mmu.AccessOracle.Machine;
import dev.mmutrace.trace.CpuFeatures;
import dev.mmutrace.trace.PagingMode;
import org.junit.jupiter.api.Test;

/**
 * The 4level walk and TLB against an independent Java transcription of the kvm-unit-tests access
 * test (x86/access.c: ac_test_legal, ac_emulate_access, ac_test_permissions; reference/x86.md
 * §1.1-1.4), over its whole legal flag space without protection keys, forced emulation or SMEP,
 * with MAXPHYADDR 46 (so bit 51 is a reserved-bit probe and bit 36 is not): 1,916,928 cases. The
 * mode-independent parts of the transcription are {@link AccessOracle}'s.
 *
 * <p>Every case runs by default (the replay pom sets {@code mmutrace.exhaustive=true}); with
 * {@code -Dmmutrace.exhaustive=false} only a deterministic sample (every
 * {@value #SAMPLE_STRIDE}th legal case) runs. Each case compares what the oracle
 * compares: fault or not, the error code of a fault, the PTE after the access (when there is
 * one) and the PDE after it (A ignored on a fault when it was clear before).
 */
class AccessOracleTest {
    static final int SAMPLE_STRIDE = 7;

    // The flag bits, in kvm-unit-tests' order (reference/x86.md §1.1).
    static final int PTE_WRITABLE = 1 << 0;
    static final int PTE_USER = 1 << 1;
    static final int PTE_ACCESSED = 1 << 2;
    static final int PTE_DIRTY = 1 << 3;
    static final int PTE_NX = 1 << 4;
    static final int PTE_PRESENT = 1 << 5;
    static final int PTE_BIT51 = 1 << 6;
    static final int PTE_BIT36 = 1 << 7;
    static final int PDE_WRITABLE = 1 << 8;
    static final int PDE_USER = 1 << 9;
    static final int PDE_ACCESSED = 1 << 10;
    static final int PDE_DIRTY = 1 << 11;
    static final int PDE_PSE = 1 << 12;
    static final int PDE_NX = 1 << 13;
    static final int PDE_PRESENT = 1 << 14;
    static final int PDE_BIT51 = 1 << 15;
    static final int PDE_BIT36 = 1 << 16;
    static final int PDE_BIT13 = 1 << 17;
    static final int PDPTE_NO_WRITABLE = 1 << 18;
    static final int PKU_AD = 1 << 19;
    static final int PKU_WD = 1 << 20;
    static final int PKU_PKEY = 1 << 21;
    static final int ACCESS_USER = 1 << 22;
    static final int ACCESS_WRITE = 1 << 23;
    static final int ACCESS_FETCH = 1 << 24;
    static final int ACCESS_TWICE = 1 << 25;
    static final int CPU_EFER_NX = 1 << 26;
    static final int CPU_CR0_WP = 1 << 27;
    static final int CPU_CR4_SMEP = 1 << 28;
    static final int CPU_CR4_PKE = 1 << 29;
    static final int FEP = 1 << 30;
    static final int NR_AC_FLAGS = 31;

    static final int MAXPHYADDR = 46;

    /**
     * ac_test_run's invalid_mask for this CPU: MAXPHYADDR 46 >= 37 makes the bit-36 probes invalid
     * (bit 36 is an address bit), < 52 keeps the bit-51 probes; no PKU, no SMEP, no FEP.
     */
    static final int INVALID = PDE_BIT36 | PTE_BIT36 | FEP | PKU_AD | PKU_WD | PKU_PKEY | CPU_CR4_PKE
            | CPU_CR4_SMEP;

    static boolean f(int flags, int bit) {
        return (flags & bit) != 0;
    }

    /** ac_test_legal, verbatim in logic. */
    static boolean legal(int flags) {
        if (f(flags, CPU_CR4_SMEP)) {
            return false;
        }
        if (f(flags, ACCESS_FETCH) && f(flags, ACCESS_WRITE)) {
            return false;
        }
        if (f(flags, ACCESS_USER) && f(flags, CPU_CR4_SMEP)) {
            return false;
        }
        if (!f(flags, CPU_CR4_PKE) && (f(flags, PKU_AD) || f(flags, PKU_WD))) {
            return false;
        }
        if (!f(flags, PDE_PSE) && f(flags, PDE_BIT13)) {
            return false;
        }
        int reserved = PDE_BIT51 | PDE_BIT36 | PDE_BIT13 | PTE_BIT51 | PTE_BIT36;
        if (!f(flags, CPU_EFER_NX)) {
            reserved |= PDE_NX | PTE_NX;
        }
        reserved &= flags;
        return (reserved & (reserved - 1)) == 0;
    }

    static Case accessOf(int flags) {
        return new Case(f(flags, ACCESS_USER), f(flags, ACCESS_WRITE), f(flags, ACCESS_FETCH), f(flags, ACCESS_TWICE),
                f(flags, CPU_CR0_WP), f(flags, CPU_CR4_SMEP));
    }

    /** ac_emulate_access (protection keys left out: their flags are invalid here). */
    static void emulate(Expected at, int flags) {
        AccessOracle.begin(at, f(flags, ACCESS_USER), f(flags, ACCESS_WRITE), f(flags, ACCESS_FETCH),
                f(flags, PDE_ACCESSED));
        boolean pdeValid = f(flags, PDE_PRESENT) && !f(flags, PDE_BIT51) && !f(flags, PDE_BIT36)
                && !f(flags, PDE_BIT13) && !(f(flags, PDE_NX) && !f(flags, CPU_EFER_NX));
        if (!pdeValid) {
            AccessOracle.fail(at, f(flags, PDE_PRESENT));
        } else {
            boolean writable = !f(flags, PDPTE_NO_WRITABLE) && f(flags, PDE_WRITABLE);
            boolean user = f(flags, PDE_USER);
            boolean executable = !f(flags, PDE_NX);
            if (f(flags, PDE_PSE)) {
                at.pde |= AccessOracle.permissions(at, accessOf(flags), writable, user, executable);
            } else {
                at.pde |= A;
                boolean pteValid = f(flags, PTE_PRESENT) && !f(flags, PTE_BIT51) && !f(flags, PTE_BIT36)
                        && !(f(flags, PTE_NX) && !f(flags, CPU_EFER_NX));
                if (!pteValid) {
                    AccessOracle.fail(at, f(flags, PTE_PRESENT));
                } else {
                    writable &= f(flags, PTE_WRITABLE);
                    user &= f(flags, PTE_USER);
                    executable &= !f(flags, PTE_NX);
                    at.pte |= AccessOracle.permissions(at, accessOf(flags), writable, user, executable);
                }
            }
        }
        AccessOracle.end(at, f(flags, CPU_EFER_NX) || f(flags, CPU_CR4_SMEP));
    }

    /** __ac_set_expected_status: start from the entries as built, maybe emulate a first read. */
    static Expected expect(int flags, long pte, long pde) {
        return AccessOracle.expect(pte, pde, f(flags, ACCESS_TWICE),
                (at, firstRead) -> emulate(at, firstRead ? flags & ~ACCESS_WRITE & ~ACCESS_FETCH & ~ACCESS_USER : flags));
    }

    // The test's page tables (ac_test_setup_ptes): vaddr 0x923400000000 (the kvm test's
    // 0xffff923400000000 without the sign extension the 48-bit walk drops) uses PML4 index 292
    // (bits 47:39 = 0x9234 >> 7 = 0x124), PDPT index 208 (bits 38:30 = (0x9234 << 2) & 511 = 0xd0),
    // PD index 0 and PT index 0. Data at 32 MiB as in the kvm test.
    static final long VADDR = 0x9234_0000_0000L;
    static final long PML4 = 0x100000;
    static final long PDPT = 0x101000;
    static final long PD = 0x102000;
    static final long PT = 0x103000;
    static final long PML4E = PML4 + 292 * 8;
    static final long PDPTE = PDPT + 208 * 8;
    static final long PDE = PD;
    static final long PTE = PT;
    static final long DATA = 32L << 20;

    static long pteOf(int flags) {
        long e = DATA;
        e |= AccessOracle.flagBits(flags, PTE_PRESENT, PTE_WRITABLE, PTE_USER, PTE_ACCESSED, PTE_DIRTY,
                PTE_NX);
        e |= f(flags, PTE_BIT51) ? 1L << 51 : 0;
        e |= f(flags, PTE_BIT36) ? 1L << 36 : 0;
        return e;
    }

    static long pdeOf(int flags) {
        long e = f(flags, PDE_PSE) ? DATA | PS : PT;
        e |= AccessOracle.flagBits(flags, PDE_PRESENT, PDE_WRITABLE, PDE_USER, PDE_ACCESSED, PDE_DIRTY,
                PDE_NX);
        e |= f(flags, PDE_BIT51) ? 1L << 51 : 0;
        e |= f(flags, PDE_BIT36) ? 1L << 36 : 0;
        e |= f(flags, PDE_BIT13) ? 1L << 13 : 0;
        return e;
    }

    /** One emulated CPU per (EFER.NXE, CR0.WP) pair, reused across cases like the kvm test's tables. */
    static Machine machine(boolean nxe, boolean wp) {
        return new Machine(PagingMode.FOUR_LEVEL, new CpuFeatures(nxe, wp, true, true, false, false, MAXPHYADDR));
    }

    static final Machine[] MACHINES = {machine(false, false), machine(false, true), machine(true, false), machine(true, true)};

    /** Runs one case through the TLB and walker; returns a description of the first disagreement, or null. */
    static String check(int flags) {
        Machine m = MACHINES[(f(flags, CPU_EFER_NX) ? 2 : 0) + (f(flags, CPU_CR0_WP) ? 1 : 0)];
        // ac_set_expected_status starts each case with an INVLPG of the test vaddr.
        m.tlb.flushPage(0, VADDR);
        long pte = pteOf(flags);
        long pde = pdeOf(flags);
        m.memory.write(PML4E, PDPT | P | RW | US);
        m.memory.write(PDPTE, PD | P | US | (f(flags, PDPTE_NO_WRITABLE) ? 0 : RW));
        m.memory.write(PDE, pde);
        m.memory.write(PTE, pte);
        Expected at = expect(flags, pte, pde);
        return AccessOracle.access(m, PML4, VADDR, accessOf(flags), at, PTE, f(flags, PDE_PSE), PDE);
    }

    /** ac_test_bump_one over the invalid mask, skipping illegal combinations. */
    static long next(long flags) {
        do {
            flags = ((flags | INVALID) + 1) & ~(long) INVALID;
        } while (flags < LIMIT && !legal((int) flags));
        return flags;
    }

    /** 1 << NR_AC_FLAGS, as a long: the counter's end. */
    static final long LIMIT = 1L << NR_AC_FLAGS;

    @Test
    void legalFlagSpaceHasTheSizeTheReferenceGives() {
        // reference/x86.md §1.2: MAXPHYADDR 46 without PKU -> 1,916,928 combinations per depth.
        long n = 0;
        for (long flags = legal(0) ? 0 : next(0); flags < LIMIT; flags = next(flags)) {
            n++;
        }
        assertThat(n).isEqualTo(1_916_928L);
    }

    @Test
    void walkAgreesWithTheAccessTestOracle() {
        boolean exhaustive = Boolean.getBoolean("mmutrace.exhaustive");
        long checked = 0;
        long i = 0;
        for (long flags = legal(0) ? 0 : next(0); flags < LIMIT; flags = next(flags), i++) {
            if (!exhaustive && i % SAMPLE_STRIDE != 0) {
                continue;
            }
            String problem = check((int) flags);
            assertThat(problem).as("flags 0x%x", flags).isNull();
            checked++;
        }
        assertThat(checked).isEqualTo(exhaustive ? 1_916_928L : (1_916_928L + SAMPLE_STRIDE - 1) / SAMPLE_STRIDE);
    }
}
