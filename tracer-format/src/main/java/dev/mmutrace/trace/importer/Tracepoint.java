package dev.mmutrace.trace.importer;

import dev.mmutrace.trace.text.AsciiNames;

/**
 * The tracepoint names the translation turns into trace events, or skips by a reason of its own,
 * across the kernel versions tracepoints.md §1 and §2 list; {@link #OTHER} stands for every other
 * name. A text line's name is looked up by its bytes, so no string is made for it.
 */
public enum Tracepoint {
    XEN_MMU_SET_PTE("xen_mmu_set_pte"),
    XEN_MMU_SET_PTE_ATOMIC("xen_mmu_set_pte_atomic"),
    XEN_MMU_SET_PTE_AT("xen_mmu_set_pte_at"),
    XEN_MMU_PTE_CLEAR("xen_mmu_pte_clear"),
    XEN_MMU_PTEP_MODIFY_PROT_COMMIT("xen_mmu_ptep_modify_prot_commit"),
    XEN_MMU_SET_PMD("xen_mmu_set_pmd"),
    XEN_MMU_PMD_CLEAR("xen_mmu_pmd_clear"),
    XEN_MMU_SET_PUD("xen_mmu_set_pud"),
    XEN_MMU_PUD_CLEAR("xen_mmu_pud_clear"),
    XEN_MMU_SET_P4D("xen_mmu_set_p4d"),
    XEN_MMU_SET_PGD("xen_mmu_set_pgd"),
    XEN_MMU_PGD_CLEAR("xen_mmu_pgd_clear"),
    XEN_MMU_ALLOC_PTPAGE("xen_mmu_alloc_ptpage"),
    XEN_MMU_RELEASE_PTPAGE("xen_mmu_release_ptpage"),
    XEN_MMU_PGD_PIN("xen_mmu_pgd_pin"),
    XEN_MMU_PGD_UNPIN("xen_mmu_pgd_unpin"),
    XEN_MMU_WRITE_CR3("xen_mmu_write_cr3"),
    XEN_MMU_FLUSH_TLB("xen_mmu_flush_tlb"),
    XEN_MMU_FLUSH_TLB_ALL("xen_mmu_flush_tlb_all"),
    XEN_MMU_FLUSH_TLB_SINGLE("xen_mmu_flush_tlb_single"),
    XEN_MMU_FLUSH_TLB_ONE_USER("xen_mmu_flush_tlb_one_user"),
    XEN_MMU_FLUSH_TLB_OTHERS("xen_mmu_flush_tlb_others"),
    XEN_MMU_FLUSH_TLB_MULTI("xen_mmu_flush_tlb_multi"),
    XEN_MC_BATCH("xen_mc_batch"),
    XEN_MC_ISSUE("xen_mc_issue"),
    PAGE_FAULT_USER("page_fault_user"),
    PAGE_FAULT_KERNEL("page_fault_kernel"),
    XEN_MMU_PTEP_MODIFY_PROT_START("xen_mmu_ptep_modify_prot_start"),
    XEN_MMU_SET_DOMAIN_PTE("xen_mmu_set_domain_pte"),
    /** Any name not above: skipped, and counted by its own name. */
    OTHER("");

    // static fields are set after the constants, so values() is complete here
    private static final AsciiNames<Tracepoint> BY_NAME = new AsciiNames<>(values(), Tracepoint::text);

    private final String text;

    Tracepoint(String text) {
        this.text = text;
    }

    /** The name as the kernel prints it (empty for {@link #OTHER}). */
    public String text() {
        return text;
    }

    /** The event named by {@code b[from, to)}, {@link #OTHER} when the translation does not know it. */
    public static Tracepoint of(byte[] b, int from, int to) {
        Tracepoint t = BY_NAME.of(b, from, to);
        return t == null ? OTHER : t;
    }

    /** The event called {@code name}, {@link #OTHER} when the translation does not know it. */
    public static Tracepoint of(String name) {
        byte[] b = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return of(b, 0, b.length);
    }
}
