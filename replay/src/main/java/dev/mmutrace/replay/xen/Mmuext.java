package dev.mmutrace.replay.xen;

/** The mmuext_op commands the Linux guest port uses, with Xen's numbers (public/xen.h) and names. */
final class Mmuext {
    static final int PIN_L1_TABLE = 0;
    static final int PIN_L2_TABLE = 1;
    static final int PIN_L3_TABLE = 2;
    static final int PIN_L4_TABLE = 3;
    static final int UNPIN_TABLE = 4;
    static final int NEW_BASEPTR = 5;
    static final int TLB_FLUSH_LOCAL = 6;
    static final int INVLPG_LOCAL = 7;
    static final int TLB_FLUSH_MULTI = 8;
    static final int INVLPG_MULTI = 9;
    static final int NEW_USER_BASEPTR = 15;

    private static final String[] HYPERCALL_NAMES = new String[16];

    static {
        String[] names = {"PIN_L1_TABLE", "PIN_L2_TABLE", "PIN_L3_TABLE", "PIN_L4_TABLE", "UNPIN_TABLE",
            "NEW_BASEPTR", "TLB_FLUSH_LOCAL", "INVLPG_LOCAL", "TLB_FLUSH_MULTI", "INVLPG_MULTI"};
        for (int i = 0; i < names.length; i++) {
            HYPERCALL_NAMES[i] = "mmuext_op:" + names[i];
        }
        HYPERCALL_NAMES[NEW_USER_BASEPTR] = "mmuext_op:NEW_USER_BASEPTR";
    }

    private Mmuext() {
    }

    /** The hypercall name reports use, e.g. {@code mmuext_op:PIN_L1_TABLE}. */
    static String hypercallName(int cmd) {
        return HYPERCALL_NAMES[cmd];
    }

    /** PIN_L1_TABLE .. PIN_L4_TABLE for a table at {@code level}. */
    static int pin(int level) {
        return PIN_L1_TABLE + level - 1;
    }
}
