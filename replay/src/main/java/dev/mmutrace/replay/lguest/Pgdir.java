package dev.mmutrace.replay.lguest;

/**
 * One slot of the host's pgdirs cache: the guest top table it shadows ({@code gpgdir}, the guest
 * cr3) and the shadow top page, which stays null until the slot is first used (the seed's
 * never-allocated slot, whose first use gives a blank pgdir and so a stack re-pin).
 */
final class Pgdir {
    static final long NONE = -1;

    final int slot;
    long gpgdir = NONE;
    ShadowTable top;
    /** When a vCPU last switched to it, for the LRU what-if policy. */
    long lastSwitch;

    Pgdir(int slot) {
        this.slot = slot;
    }

    boolean allocated() {
        return top != null;
    }
}
