package dev.mmutrace.replay.mmu;

import static dev.mmutrace.replay.mmu.AccessOracle.A;
import static dev.mmutrace.replay.mmu.AccessOracle.NX;
import static dev.mmutrace.replay.mmu.AccessOracle.P;
import static dev.mmutrace.replay.mmu.AccessOracle.PS;
import static dev.mmutrace.replay.mmu.AccessOracle.RW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.replay.mmu.AccessOracle.Case;
import dev.mmutrace.replay.mmu.AccessOracle.Expected;
import dev.mmutrace.replay.mmu.AccessOracle.Machine;
import dev.mmutrace.trace.CpuFeatures;
import dev.mmutrace.trace.PagingMode;
import org.junit.jupiter.api.Test;

/**
 * The kvm-unit-tests access-oracle rules (reference/x86.md §1.4) carried over to the two 32-bit
 * modes, with their reserved-bit tables (§2.2) in place of 4level's, over a flag space built the
 * same way (one reserved-bit probe at most per case). MAXPHYADDR is 36 so both modes have a
 * reserved physical-address bit to probe.
 *
 * <ul>
 *   <li>pae: PDE/PTE reserved = bit 63 without EFER.NXE, bits 62:36; a 2 MiB PDE adds 20:13.
 *       PDPTE reserved = 63:36, 8:5, 2:1 (probed with bit 1); PDPTEs carry no rights and no A.
 *       I/D is reported with NXE. CR4.PSE plays no part (PAE ignores it).
 *   <li>2level: no NX and no reserved bits in a PT-pointing PDE or a PTE. With CR4.PSE a PS=1 PDE is
 *       a 4 MiB page whose bit 21 and (MAXPHYADDR 36) bits 20:17 are reserved while bits 16:13 are
 *       PA[35:32] (PSE-36), so bit 13 is a legal high address bit here, not a probe. Without
 *       CR4.PSE the PS bit is ignored and the PDE points to a PT. I/D is never reported (no NX, no SMEP).
 * </ul>
 *
 * Every case runs by default; {@code -Dmmutrace.exhaustive=false} samples every {@value #SAMPLE_STRIDE}th.
 * The mode-independent parts of the transcription are {@link AccessOracle}'s, shared with
 * {@link AccessOracleTest}.
 */
class LegacyModesOracleTest {
    static final int SAMPLE_STRIDE = 5;
    static final int M = 36;

    static final int PTE_W = 1 << 0;
    static final int PTE_U = 1 << 1;
    static final int PTE_A = 1 << 2;
    static final int PTE_D = 1 << 3;
    static final int PTE_NX = 1 << 4;
    static final int PTE_P = 1 << 5;
    static final int PTE_HIGH = 1 << 6;   // pae: bit 62
    static final int PTE_MAXPHY = 1 << 7; // pae: bit 36
    static final int PDE_W = 1 << 8;
    static final int PDE_U = 1 << 9;
    static final int PDE_A = 1 << 10;
    static final int PDE_D = 1 << 11;
    static final int PDE_PSE = 1 << 12;
    static final int PDE_NX = 1 << 13;
    static final int PDE_P = 1 << 14;
    static final int PDE_HIGH = 1 << 15;   // pae: bit 62; 2level 4 MiB: bit 21
    static final int PDE_MAXPHY = 1 << 16; // pae: bit 36; 2level 4 MiB: bit 17 (PA bit 36)
    static final int PDE_BIT13 = 1 << 17;  // pae 2 MiB: reserved; 2level 4 MiB: PA bit 32, legal
    static final int PDPTE_RSVD = 1 << 18; // pae: bit 1 of the PDPTE
    static final int ACCESS_USER = 1 << 19;
    static final int ACCESS_WRITE = 1 << 20;
    static final int ACCESS_FETCH = 1 << 21;
    static final int ACCESS_TWICE = 1 << 22;
    static final int CPU_NXE = 1 << 23;
    static final int CPU_WP = 1 << 24;
    static final int CPU_PSE = 1 << 25;
    static final long LIMIT = 1L << 26;

    static boolean f(int flags, int bit) {
        return (flags & bit) != 0;
    }

    /** Flags that mean nothing in a mode (always clear). */
    static int invalid(PagingMode mode) {
        if (mode == PagingMode.PAE) {
            return CPU_PSE;
        }
        // 2level: no NX bit, no NXE, no reserved bits in a PTE, no PDPT.
        return PTE_NX | PDE_NX | CPU_NXE | PTE_HIGH | PTE_MAXPHY | PDPTE_RSVD;
    }

    static boolean largePde(PagingMode mode, int flags) {
        return f(flags, PDE_PSE) && (mode == PagingMode.PAE || f(flags, CPU_PSE));
    }

    static boolean legal(PagingMode mode, int flags) {
        if (f(flags, ACCESS_FETCH) && f(flags, ACCESS_WRITE)) {
            return false;
        }
        boolean large = largePde(mode, flags);
        if (!large && f(flags, PDE_BIT13)) {
            return false;
        }
        // In 2level the PDE probes exist only in a 4 MiB PDE (elsewhere they are PT address bits).
        if (mode == PagingMode.TWO_LEVEL && !large && (f(flags, PDE_HIGH) || f(flags, PDE_MAXPHY))) {
            return false;
        }
        int reserved = PTE_HIGH | PTE_MAXPHY | PDE_HIGH | PDE_MAXPHY | PDPTE_RSVD
                | (mode == PagingMode.PAE ? PDE_BIT13 : 0);
        if (mode == PagingMode.PAE && !f(flags, CPU_NXE)) {
            reserved |= PDE_NX | PTE_NX;
        }
        reserved &= flags;
        return (reserved & (reserved - 1)) == 0;
    }

    static Case accessOf(int flags) {
        return new Case(f(flags, ACCESS_USER), f(flags, ACCESS_WRITE), f(flags, ACCESS_FETCH), f(flags, ACCESS_TWICE),
                f(flags, CPU_WP), false);
    }

    static void emulate(PagingMode mode, Expected at, int flags) {
        boolean pae = mode == PagingMode.PAE;
        boolean nxe = pae && f(flags, CPU_NXE);
        AccessOracle.begin(at, f(flags, ACCESS_USER), f(flags, ACCESS_WRITE), f(flags, ACCESS_FETCH), f(flags, PDE_A));
        boolean large = largePde(mode, flags);
        if (f(flags, PDPTE_RSVD)) {
            AccessOracle.fail(at, true);
        } else if (!f(flags, PDE_P) || f(flags, PDE_HIGH) || f(flags, PDE_MAXPHY)
                || (pae && f(flags, PDE_BIT13)) || (pae && f(flags, PDE_NX) && !nxe)) {
            AccessOracle.fail(at, f(flags, PDE_P));
        } else {
            boolean writable = f(flags, PDE_W);
            boolean user = f(flags, PDE_U);
            boolean executable = !(nxe && f(flags, PDE_NX));
            if (large) {
                at.pde |= AccessOracle.permissions(at, accessOf(flags), writable, user, executable);
            } else {
                at.pde |= A;
                if (!f(flags, PTE_P) || f(flags, PTE_HIGH) || f(flags, PTE_MAXPHY)
                        || (pae && f(flags, PTE_NX) && !nxe)) {
                    AccessOracle.fail(at, f(flags, PTE_P));
                } else {
                    writable &= f(flags, PTE_W);
                    user &= f(flags, PTE_U);
                    executable &= !(nxe && f(flags, PTE_NX));
                    at.pte |= AccessOracle.permissions(at, accessOf(flags), writable, user, executable);
                }
            }
        }
        AccessOracle.end(at, nxe);
    }

    static Expected expect(PagingMode mode, int flags, long pte, long pde) {
        return AccessOracle.expect(pte, pde, f(flags, ACCESS_TWICE), (at, firstRead) ->
                emulate(mode, at, firstRead ? flags & ~ACCESS_WRITE & ~ACCESS_FETCH & ~ACCESS_USER : flags));
    }

    // Layout. pae: PDPT at 0x100040 (32-byte aligned, not page aligned, to exercise that), vaddr
    // 0xC0000000 -> PDPT index 3 (bits 31:30), PD index 0, PT index 0. 2level: PGD at 0x100000,
    // vaddr 0xC0000000 -> PGD index 768 (bits 31:22 = 0x300), PT index 0. Data at 32 MiB.
    static final long VADDR = 0xC000_0000L;
    static final long ROOT_PAE = 0x100040;
    static final long PDPTE = ROOT_PAE + 3 * 8;
    static final long PD = 0x102000;
    static final long PT = 0x103000;
    static final long ROOT_2 = 0x100000;
    static final long PDE_2 = ROOT_2 + 768 * 4;
    static final long DATA = 32L << 20;

    static long pte(PagingMode mode, int flags) {
        long e = DATA;
        e |= AccessOracle.flagBits(flags, PTE_P, PTE_W, PTE_U, PTE_A, PTE_D, PTE_NX);
        e |= f(flags, PTE_HIGH) ? 1L << 62 : 0;
        e |= f(flags, PTE_MAXPHY) ? 1L << M : 0;
        return e;
    }

    static long pde(PagingMode mode, int flags) {
        boolean pae = mode == PagingMode.PAE;
        // A PS=1 PDE that is not a large leaf (2level without CR4.PSE) still points at the PT:
        // the CPU ignores PS there.
        long e = largePde(mode, flags) ? DATA | PS : PT | (f(flags, PDE_PSE) ? PS : 0);
        e |= AccessOracle.flagBits(flags, PDE_P, PDE_W, PDE_U, PDE_A, PDE_D, PDE_NX);
        e |= f(flags, PDE_HIGH) ? (pae ? 1L << 62 : 1L << 21) : 0;
        e |= f(flags, PDE_MAXPHY) ? (pae ? 1L << M : 1L << 17) : 0;
        e |= f(flags, PDE_BIT13) ? 1L << 13 : 0;
        return e;
    }


    static String check(PagingMode mode, Machine[] machines, int flags) {
        boolean pae = mode == PagingMode.PAE;
        Machine m = machines[(f(flags, CPU_NXE) ? 4 : 0) + (f(flags, CPU_WP) ? 2 : 0) + (f(flags, CPU_PSE) ? 1 : 0)];
        m.tlb.flushPage(0, VADDR);
        long pte = pte(mode, flags);
        long pde = pde(mode, flags);
        long pdeSlot = pae ? PD : PDE_2;
        if (pae) {
            // PDPTE: present, no rights bits (they are reserved there); bit 1 when probed.
            m.memory.write(PDPTE, PD | P | (f(flags, PDPTE_RSVD) ? RW : 0));
        }
        m.memory.write(pdeSlot, pde);
        m.memory.write(PT, pte);
        Expected at = expect(mode, flags, pte, pde);
        long root = pae ? ROOT_PAE : ROOT_2;
        String problem = AccessOracle.access(m, root, VADDR, accessOf(flags), at, PT, largePde(mode, flags), pdeSlot);
        if (problem != null) {
            return problem;
        }
        boolean fault = at.fault;
        if (pae && m.memory.read(PDPTE) != (PD | P | (f(flags, PDPTE_RSVD) ? RW : 0))) {
            return "pdpte changed: " + Long.toHexString(m.memory.read(PDPTE));
        }
        if (!fault && largePde(mode, flags) && !pae && f(flags, PDE_BIT13)) {
            // PSE-36: bit 13 of a 4 MiB PDE is PA bit 32.
            if (m.walk.frame() != ((1L << 32) | DATA)) {
                return "4 MiB frame " + Long.toHexString(m.walk.frame());
            }
        }
        return null;
    }

    long sweep(PagingMode mode) {
        boolean exhaustive = Boolean.getBoolean("mmutrace.exhaustive");
        Machine[] machines = new Machine[8];
        for (int i = 0; i < 8; i++) {
            machines[i] = new Machine(mode, new CpuFeatures((i & 4) != 0, (i & 2) != 0, (i & 1) != 0, true, false, false, M));
        }
        int invalid = invalid(mode);
        long checked = 0;
        long i = 0;
        for (long flags = 0; flags < LIMIT; flags = ((flags | invalid) + 1) & ~(long) invalid) {
            if (!legal(mode, (int) flags)) {
                continue;
            }
            if (exhaustive || i++ % SAMPLE_STRIDE == 0) {
                assertThat(check(mode, machines, (int) flags)).as("%s flags 0x%x", mode, flags).isNull();
                checked++;
            }
        }
        return checked;
    }

    @Test
    void paeWalkFollowsTheOracleRulesWithPaeReservedBits() {
        assertThat(sweep(PagingMode.PAE)).isPositive();
    }

    @Test
    void twoLevelWalkFollowsTheOracleRulesWithPse36LargePages() {
        assertThat(sweep(PagingMode.TWO_LEVEL)).isPositive();
    }
}
