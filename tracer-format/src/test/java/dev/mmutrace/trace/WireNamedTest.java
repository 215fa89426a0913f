package dev.mmutrace.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.trace.generate.Workload;
import org.junit.jupiter.api.Test;

/** The words of docs/trace-format.md and SPEC §2, read back from the enums that now derive them. */
class WireNamedTest {
    @Test
    void aConstantsWireNameIsItsNameInLowerCaseUnlessTheEnumSaysOtherwise() {
        // SPEC §2's event names and the CSV columns' words, as the docs spell them
        assertThat(EventType.PTEP_MODIFY_PROT.wireName()).isEqualTo("ptep_modify_prot");
        assertThat(EventType.SET_PTE_AT).hasToString("set_pte_at");
        assertThat(FlushTlb.Scope.MULTI.wireName()).isEqualTo("multi");
        assertThat(P2m.Policy.PERMUTATION.wireName()).isEqualTo("permutation");
        // the enums that name themselves: a mode is 2level, a workload has hyphens
        assertThat(PagingMode.TWO_LEVEL.wireName()).isEqualTo("2level");
        assertThat(Workload.FORK_EXEC_EXIT.wireName()).isEqualTo("fork-exec-exit");
    }

    @Test
    void findTakesOnlyTheExactWord() {
        assertThat(EventType.fromWireName("set_pud")).contains(EventType.SET_PUD);
        assertThat(AccessMode.fromWireName("explicit")).contains(AccessMode.EXPLICIT);
        assertThat(PagingMode.fromWireName("pae")).contains(PagingMode.PAE);
        // neither the Java constant's name nor another case is a wire name
        assertThat(EventType.fromWireName("SET_PUD")).isEmpty();
        assertThat(PagingMode.fromWireName("FOUR_LEVEL")).isEmpty();
        assertThat(InitialMemory.fromWireName("")).isEmpty();
    }
}
