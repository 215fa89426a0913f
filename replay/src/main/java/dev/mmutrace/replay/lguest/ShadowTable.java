package dev.mmutrace.replay.lguest;

/**
 * One page of a shadow ("real") page table the host keeps for a guest top table. A leaf page
 * (level 1, the seed's PTE page) holds shadow PTEs; a page above it holds, per slot, the flags the
 * host copied from the guest's entry and the shadow page below ({@code children}).
 *
 * <p>Shadow entries keep the guest's pfn (the host's real frame does not matter to any figure),
 * so an entry can be compared with the guest's own translation to tell valid from stale.
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

    ShadowTable(int level, int entries) {
        this.level = level;
        this.entries = new long[entries];
        this.children = level > 1 ? new ShadowTable[entries] : null;
    }
}
