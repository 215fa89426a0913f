package dev.mmutrace.trace;

import java.util.Optional;

/** The event vocabulary of SPEC §2, with the names both trace formats use on the wire. */
public enum EventType {
    SET_PTE("set_pte"),
    SET_PTE_AT("set_pte_at"),
    PTEP_MODIFY_PROT("ptep_modify_prot"),
    SET_PMD("set_pmd"),
    SET_PUD("set_pud"),
    SET_PGD("set_pgd"),
    WRITE_CR3("write_cr3"),
    PAGE_FAULT("page_fault"),
    PIN("pin"),
    UNPIN("unpin"),
    ALLOC_PT("alloc_pt"),
    RELEASE_PT("release_pt"),
    FLUSH_TLB("flush_tlb"),
    LAZY_MMU("lazy_mmu"),
    SET_STACK("set_stack"),
    ACCESS("access");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

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
        for (EventType t : values()) {
            if (t.wireName.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
