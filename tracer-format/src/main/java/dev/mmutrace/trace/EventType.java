package dev.mmutrace.trace;

import java.util.Optional;

/** The event vocabulary of SPEC §2, with the names both trace formats use on the wire. */
public enum EventType implements WireNamed {
    SET_PTE(1),
    SET_PTE_AT(1),
    PTEP_MODIFY_PROT(1),
    SET_PMD(2),
    SET_PUD(3),
    SET_PGD(4),
    WRITE_CR3(0),
    PAGE_FAULT(0),
    PIN(0),
    UNPIN(0),
    ALLOC_PT(0),
    RELEASE_PT(0),
    FLUSH_TLB(0),
    LAZY_MMU(0),
    SET_STACK(0),
    ACCESS(0),
    GAP(0);

    private final int entryLevel;

    /** {@code entryLevel}: the table level an entry update stores into (Xen's numbering), 0 for other events. */
    EventType(int entryLevel) {
        this.entryLevel = entryLevel;
    }

    /**
     * True for the stores into a page-table entry. An implied retry of a faulting access waits
     * until the faulting vCPU issues something that is not one of these (SPEC §2.1).
     */
    public boolean isEntryUpdate() {
        return entryLevel > 0;
    }

    /**
     * The level of the table an update of this type stores into: 1 for set_pte, set_pte_at and
     * ptep_modify_prot, 2 set_pmd, 3 set_pud, 4 set_pgd; 0 for an event that is no entry update.
     */
    public int entryLevel() {
        return entryLevel;
    }

    public static Optional<EventType> fromWireName(String name) {
        return WireNamed.find(values(), name);
    }

    @Override
    public String toString() {
        return wireName();
    }
}
