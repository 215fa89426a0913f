package dev.mmutrace.replay.xen;

/**
 * Why Xen refused what the guest asked: the stable codes reports and docs/models/xen.md use.
 * Each names the Xen 3.4 check that fails (mm.c, traps.c); the message built at the failure
 * site quotes Xen's own log line.
 */
enum Reason {
    BAD_L1_FLAGS("bad_l1_flags"),
    BAD_L2_FLAGS("bad_l2_flags"),
    BAD_L3_FLAGS("bad_l3_flags"),
    BAD_L4_FLAGS("bad_l4_flags"),
    NOT_OWNED("not_owned"),
    WRITABLE_PT_MAPPING("writable_pt_mapping"),
    PT_HAS_WRITABLE_MAPPING("pt_has_writable_mapping"),
    BAD_TYPE("bad_type"),
    VALIDATION_IN_PROGRESS("validation_in_progress"),
    PSE_NOT_ALLOWED("pse_not_allowed"),
    LINEAR_PT_WRITABLE("linear_pt_writable"),
    XEN_PRIVATE_SLOT("xen_private_slot"),
    ALREADY_PINNED("already_pinned"),
    NOT_PINNED("not_pinned"),
    UVM_NO_L1("uvm_no_l1"),
    RO_STORE_NOT_L1("ro_store_not_l1");

    private final String code;

    Reason(String code) {
        this.code = code;
    }

    String code() {
        return code;
    }

    static Reason badFlags(int level) {
        return switch (level) {
            case 1 -> BAD_L1_FLAGS;
            case 2 -> BAD_L2_FLAGS;
            case 3 -> BAD_L3_FLAGS;
            default -> BAD_L4_FLAGS;
        };
    }
}
