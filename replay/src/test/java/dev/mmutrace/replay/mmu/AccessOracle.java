package dev.mmutrace.replay.mmu;

import dev.mmutrace.replay.GuestMemory;
import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.CpuFeatures;
import dev.mmutrace.trace.InitialMemory;
import dev.mmutrace.trace.PagingMode;

/**
 * The parts of kvm-unit-tests' access test (x86/access.c: ac_test_permissions, the frame of
 * ac_emulate_access and __ac_set_expected_status, ac_test_do_access's checks; reference/x86.md
 * §1.3-1.4) that do not depend on the paging mode, transcribed once. {@link AccessOracleTest} uses
 * them over the test's own 4level flag space, {@link LegacyModesOracleTest} over the same rules
 * carried to pae and 2level; each keeps its flag bits, its tables and the middle of its emulate
 * step (which levels exist and which bits are reserved there).
 */
final class AccessOracle {
    // Error-code bits (lib/x86/asm/page.h) and entry bits.
    static final int PF_P = 1;
    static final int PF_W = 2;
    static final int PF_U = 4;
    static final int PF_RSVD = 8;
    static final int PF_ID = 16;
    static final long P = 1;
    static final long RW = 2;
    static final long US = 4;
    static final long A = 1L << 5;
    static final long D = 1L << 6;
    static final long PS = 1L << 7;
    static final long NX = 1L << 63;

    private AccessOracle() {
    }

    /**
     * The entry bits both tests set from a flag of their own each, as ac_test_setup_ptes does:
     * P, RW, US, A, D and NX, given the test's flag for each. What else an entry holds (its frame,
     * PS, the reserved-bit probes) differs by test and mode and stays with the test.
     */
    static long flagBits(int flags, int present, int writable, int user, int accessed, int dirty, int nx) {
        long e = 0;
        e |= (flags & present) != 0 ? P : 0;
        e |= (flags & writable) != 0 ? RW : 0;
        e |= (flags & user) != 0 ? US : 0;
        e |= (flags & accessed) != 0 ? A : 0;
        e |= (flags & dirty) != 0 ? D : 0;
        e |= (flags & nx) != 0 ? NX : 0;
        return e;
    }

    /** The access one case makes and the CPU it runs on, decoded from a test's flags. */
    record Case(boolean user, boolean write, boolean fetch, boolean twice, boolean wp, boolean smep) {
        Access.Kind kind() {
            return fetch ? Access.Kind.FETCH : write ? Access.Kind.WRITE : Access.Kind.READ;
        }
    }

    /** The oracle's per-case expectation (ac_test_t's expected_* fields). */
    static final class Expected {
        boolean fault;
        int error;
        long pte;
        long pde;
        long ignorePde;
    }

    /** A test's emulate step for one access: {@code firstRead} for the supervisor read of ACCESS_TWICE. */
    @FunctionalInterface
    interface Emulation {
        void emulate(Expected at, boolean firstRead);
    }

    /** __ac_set_expected_status: start from the entries as built, maybe emulate a first read. */
    static Expected expect(long pte, long pde, boolean twice, Emulation emulation) {
        Expected at = new Expected();
        at.pte = pte;
        at.pde = pde;
        at.error = PF_P;
        if (twice) {
            emulation.emulate(at, true);
            at.fault = false;
            at.error = PF_P;
            at.ignorePde = 0;
        }
        emulation.emulate(at, false);
        return at;
    }

    /** ac_emulate_access's opening: the error code's access bits, and PDE.A ignored unless set. */
    static void begin(Expected at, boolean user, boolean write, boolean fetch, boolean pdeAccessed) {
        if (user) {
            at.error |= PF_U;
        }
        if (write) {
            at.error |= PF_W;
        }
        if (fetch) {
            at.error |= PF_ID;
        }
        if (!pdeAccessed) {
            at.ignorePde = A;
        }
    }

    /** ac_emulate_access's close: nothing ignored after a success; I/D only where it is reported. */
    static void end(Expected at, boolean reportsFetch) {
        if (!at.fault) {
            at.ignorePde = 0;
        }
        if (!reportsFetch) {
            at.error &= ~PF_ID;
        }
    }

    /** A not-present (P cleared) or reserved-bit (RSVD) fault at some level. */
    static void fail(Expected at, boolean present) {
        at.fault = true;
        if (present) {
            at.error |= PF_RSVD;
        } else {
            at.error &= ~PF_P;
        }
    }

    /** ac_test_permissions: the leaf rights check of access {@code c}; returns the A/D bits a success sets. */
    static long permissions(Expected at, Case c, boolean writable, boolean user, boolean executable) {
        boolean kwritable = !c.wp() && !c.user();
        if (c.user() && !user) {
            at.fault = true;
        }
        if (c.write() && !writable && !kwritable) {
            at.fault = true;
        }
        if (c.fetch() && !executable) {
            at.fault = true;
        }
        if (c.fetch() && user && c.smep()) {
            at.fault = true;
        }
        if (at.fault) {
            return 0;
        }
        return c.write() ? A | D : A;
    }

    /** One emulated CPU: memory, walker and a one-vCPU TLB, reused across cases like the kvm test's tables. */
    static final class Machine {
        final GuestMemory memory;
        final Walker walker;
        final TlbSet tlb;
        final Walk walk = new Walk();

        Machine(PagingMode mode, CpuFeatures cpu) {
            memory = new GuestMemory(mode, InitialMemory.UNKNOWN);
            EntryFormat format = new EntryFormat(mode, cpu);
            walker = new Walker(format, memory);
            tlb = new TlbSet(format, 1);
        }
    }

    /**
     * ac_test_do_access: the access (after a supervisor read with ACCESS_TWICE) through the TLB and
     * walker from {@code root}, then the checks against {@code at}: fault or not, the error code,
     * the PTE at {@code pteSlot} unless the PDE is the leaf, the PDE at {@code pdeSlot} with the
     * bits the oracle ignores. Returns the first disagreement, or null.
     */
    static String access(Machine m, long root, long vaddr, Case c, Expected at, long pteSlot, boolean pdeIsLeaf,
            long pdeSlot) {
        if (c.twice()) {
            m.tlb.translate(0, root, vaddr, Access.Kind.READ, false, m.walker, m.walk);
        }
        Translation t = m.tlb.translate(0, root, vaddr, c.kind(), c.user(), m.walker, m.walk);
        boolean fault = !t.succeeded();
        if (fault != at.fault) {
            return fault ? "unexpected fault " + m.walk.errorCode() : "unexpected access";
        }
        if (fault && m.walk.errorCode() != at.error) {
            return "error code " + m.walk.errorCode() + " expected " + at.error;
        }
        if (!pdeIsLeaf && m.memory.read(pteSlot) != at.pte) {
            return "pte " + Long.toHexString(m.memory.read(pteSlot)) + " expected " + Long.toHexString(at.pte);
        }
        long pde = m.memory.read(pdeSlot);
        if ((pde & ~at.ignorePde) != (at.pde & ~at.ignorePde)) {
            return "pde " + Long.toHexString(pde) + " expected " + Long.toHexString(at.pde);
        }
        return null;
    }
}
