package dev.mmutrace.replay.xen;

/** The mmuext_op commands the Linux guest port uses, with Xen's numbers (public/xen.h) and names. */
enum Mmuext {
    PIN_L1_TABLE(0),
    PIN_L2_TABLE(1),
    PIN_L3_TABLE(2),
    PIN_L4_TABLE(3),
    UNPIN_TABLE(4),
    NEW_BASEPTR(5),
    TLB_FLUSH_LOCAL(6),
    INVLPG_LOCAL(7),
    TLB_FLUSH_MULTI(8),
    INVLPG_MULTI(9),
    NEW_USER_BASEPTR(15);

    private static final Mmuext[] PINS = {PIN_L1_TABLE, PIN_L2_TABLE, PIN_L3_TABLE, PIN_L4_TABLE};

    /** Xen's command number (MMUEXT_*). */
    final int number;
    private final String hypercallName;

    Mmuext(int number) {
        this.number = number;
        this.hypercallName = "mmuext_op:" + name();
    }

    /** The hypercall name reports use, e.g. {@code mmuext_op:PIN_L1_TABLE}. */
    String hypercallName() {
        return hypercallName;
    }

    /** PIN_L1_TABLE .. PIN_L4_TABLE for a table at {@code level}. */
    static Mmuext pin(int level) {
        return PINS[level - 1];
    }

    /** The level a PIN_Ln_TABLE pins (1..4), 0 for any other command. */
    int pinLevel() {
        return ordinal() <= PIN_L4_TABLE.ordinal() ? ordinal() + 1 : 0;
    }
}
