package dev.mmutrace.replay.lguest;

/**
 * One page of a shadow ("real") page table the host keeps for a guest top table. A leaf page
 * (level 1, the seed's PTE page) holds shadow PTEs; a page above it holds, per slot, the flags the
 * host copied from the guest's entry and the shadow page below ({@code children}).
 *
 * <p>Shadow entries keep the guest's pfn (the host's real frame does not matter to any figure),
 * so an entry can be compared with the guest's own translation to tell valid from stale.
 *
 * <p>The page also knows which of its slots are in use (a present entry in a leaf page, a shadow
 * page below in the others), one bit each: releasing a page, or the user half of a top page,
 * visits only those. Scanning all 512 slots of each page released, mostly empty ones, was most of
 * a 4level replay's time, and still a tenth of it when the scan stopped after the last one in use.
 */
final class ShadowTable {
    final int level;
    final long[] entries;
    /** The shadow page under each slot; null for a leaf page. */
    final ShadowTable[] children;
    /** Which cached pgdir this page belongs to (shadow pages are never shared between pgdirs). */
    Pgdir owner;
    /** The first vaddr the page translates. */
    long base;
    /** The guest table frame this page shadows (for non-leaf pages: found again on set_pmd/set_pgd). */
    long guestPfn;
    /** Bit i of word i / 64: slot i is in use. */
    private final long[] inUse;
    /** Other shadow pages of the same guest table frame (non-leaf pages only), see {@link ShadowPages}. */
    ShadowTable nextOfFrame;
    ShadowTable prevOfFrame;

    ShadowTable(int level, int entries) {
        this.level = level;
        this.entries = new long[entries];
        this.children = level > 1 ? new ShadowTable[entries] : null;
        this.inUse = new long[(entries + 63) >>> 6];
    }

    /** Slot {@code i} now holds a present entry (leaf page) or a shadow page below. */
    void use(int i) {
        inUse[i >>> 6] |= 1L << i;
    }

    /** Slot {@code i} holds nothing any more. */
    void release(int i) {
        inUse[i >>> 6] &= ~(1L << i);
    }

    boolean inUse(int i) {
        return (inUse[i >>> 6] & (1L << i)) != 0;
    }

    /** The first slot in use at or after {@code from}, or -1. */
    int nextInUse(int from) {
        int word = from >>> 6;
        if (word >= inUse.length) {
            return -1;
        }
        long bits = inUse[word] & (-1L << from);
        while (true) {
            if (bits != 0) {
                return (word << 6) + Long.numberOfTrailingZeros(bits);
            }
            if (++word == inUse.length) {
                return -1;
            }
            bits = inUse[word];
        }
    }
}
