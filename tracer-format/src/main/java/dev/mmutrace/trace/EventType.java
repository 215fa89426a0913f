package dev.mmutrace.trace;

import java.util.Optional;

/** The event vocabulary of SPEC §2, with the names both trace formats use on the wire. */
public enum EventType implements WireNamed {
    SET_PTE,
    SET_PTE_AT,
    PTEP_MODIFY_PROT,
    SET_PMD,
    SET_PUD,
    SET_PGD,
    WRITE_CR3,
    PAGE_FAULT,
    PIN,
    UNPIN,
    ALLOC_PT,
    RELEASE_PT,
    FLUSH_TLB,
    LAZY_MMU,
    SET_STACK,
    ACCESS;

    /**
     * True for the stores into a page-table entry. An implied retry of a faulting access waits
     * until the faulting vCPU issues something that is not one of these (SPEC §2.1).
     */
    public boolean isEntryUpdate() {
        return switch (this) {
            case SET_PTE, SET_PTE_AT, PTEP_MODIFY_PROT, SET_PMD, SET_PUD, SET_PGD -> true;
            default -> false;
        };
    }

    public static Optional<EventType> fromWireName(String name) {
        return WireNamed.find(values(), name);
    }

    @Override
    public String toString() {
        return wireName();
    }
}
