package dev.mmutrace.replay.mmu;

/**
 * What one walk found. A caller owns one {@code Walk} and hands it to every
 * {@link Walker#walk walk} it makes, so the per-access path allocates nothing; the values are
 * those of the last walk only.
 *
 * <p>On success the leaf, the page size, the frame and the effective rights are set. On a fault
 * {@link #errorCode()} is the #PF error code; when the walk stopped at a slot the trace never
 * wrote, {@link #unknown()} is set, the slot is {@link #unknownSlot()} and the outcome is that of a
 * not-present entry (a lower bound, SPEC §2.2).
 */
public final class Walk {
    /** The unknownSlot of a walk that had no cr3 to start from. */
    public static final long NO_CR3 = -1L;

    boolean ok;
    int errorCode;
    boolean unknown;
    long unknownSlot;
    boolean readBeforeGap;
    long vaddr;
    int leafLevel;
    int top;
    /** Slot gpa used at each level (index 1..4); -1 for levels not reached. */
    final long[] slots = new long[5];
    /** Entry value read at each level. */
    final long[] entries = new long[5];
    long frame;
    boolean writable;
    boolean user;
    boolean nx;
    boolean global;
    boolean dirty;
    boolean stalePdpte;

    void reset(long linear, int topLevel) {
        ok = false;
        errorCode = 0;
        unknown = false;
        unknownSlot = 0;
        readBeforeGap = false;
        vaddr = linear;
        leafLevel = 0;
        top = topLevel;
        for (int l = 1; l <= 4; l++) {
            slots[l] = -1;
            entries[l] = 0;
        }
        frame = 0;
        writable = false;
        user = false;
        nx = false;
        global = false;
        dirty = false;
        stalePdpte = false;
    }

    /** True when the access may proceed. */
    public boolean ok() {
        return ok;
    }

    /** The #PF error code of a failed walk (P, W, U, RSVD, I/D); 0 after a success. */
    public int errorCode() {
        return errorCode;
    }

    /** True when the walk read a slot the trace never wrote (or had no cr3). */
    /**
     * Whether the walk read an entry last written before a gap in the trace (GuestMemory#gap): the
     * value it used is the last one the trace showed, which a lost store may have changed.
     */
    public boolean readBeforeGap() {
        return readBeforeGap;
    }

    public boolean unknown() {
        return unknown;
    }

    /** The never-written slot the walk stopped at, or {@link #NO_CR3}. */
    public long unknownSlot() {
        return unknownSlot;
    }

    /** The translated vaddr bits (48 in 4level, 32 otherwise). */
    public long vaddr() {
        return vaddr;
    }

    /** The level of the leaf (1 for a 4 KiB page); 0 when the walk did not reach one. */
    public int leafLevel() {
        return leafLevel;
    }

    /** The slot gpa read at {@code level}, or -1 when the walk did not reach that level. */
    public long slot(int level) {
        return slots[level];
    }

    /** The entry read at {@code level} (before this walk set A or D). */
    public long entry(int level) {
        return entries[level];
    }

    /** The gpa of the mapped frame (aligned to the page size). */
    public long frame() {
        return frame;
    }

    /** Effective RW: ANDed over every level. */
    public boolean writable() {
        return writable;
    }

    /** Effective US: ANDed over every level. */
    public boolean user() {
        return user;
    }

    /** Effective NX: ORed over every level (false unless NX is in force). */
    public boolean nx() {
        return nx;
    }

    /** The leaf's G bit with CR4.PGE set. */
    public boolean global() {
        return global;
    }

    /**
     * True when this walk used a PAE PDPTE register that no longer matches the PDPT in memory, for
     * the first time since that register's load: a stale use, a missed cr3 reload.
     */
    public boolean stalePdpte() {
        return stalePdpte;
    }

    /** The leaf's D bit after the walk (set by this walk when it was a successful write). */
    public boolean dirty() {
        return dirty;
    }
}
