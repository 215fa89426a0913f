package dev.mmutrace.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each entry update's level, and the checks every record shares, worked out from SPEC §2. */
class EntryUpdateTest {
    @Test
    void eachUpdateIsAtItsTablesLevelInXensNumbering() {
        // Xen numbers tables L1 (pte) .. L4 (pgd): set_pte, set_pte_at and ptep_modify_prot
        // store into an L1 table, set_pmd into L2, set_pud into L3, set_pgd into L4
        assertThat(new SetPte(0, 1, 0x1000, 0).level()).isEqualTo(1);
        assertThat(new SetPteAt(0, 1, 0x2000, 0x400000, 0x1000, 0).level()).isEqualTo(1);
        assertThat(new PtepModifyProt(0, 1, 0x2000, 0x400000, 0x1000, 0).level()).isEqualTo(1);
        assertThat(new SetPmd(0, 1, 0x1000, 0).level()).isEqualTo(2);
        assertThat(new SetPud(0, 1, 0x1000, 0).level()).isEqualTo(3);
        assertThat(new SetPgd(0, 1, 0x1000, 0, TraceEvent.NO_ADDRESS).level()).isEqualTo(4);
    }

    @Test
    void onlyTheSixStoresAreEntryUpdates() {
        assertThat(java.util.Arrays.stream(EventType.values()).filter(EventType::isEntryUpdate))
                .containsExactly(EventType.SET_PTE, EventType.SET_PTE_AT, EventType.PTEP_MODIFY_PROT,
                        EventType.SET_PMD, EventType.SET_PUD, EventType.SET_PGD);
        assertThat(EventType.PIN.entryLevel()).isZero();
    }

    @Test
    void ofSeesEveryPermittedUpdateAsItselfAndRefusesAnyOtherEvent() {
        List<EntryUpdate> updates = List.of(new SetPte(0, 1, 0x1000, 0x5003),
                new SetPteAt(0, 1, 0x2000, 0x400000, 0x1000, 0x5003),
                new PtepModifyProt(0, 1, 0x2000, 0x400000, 0x1000, 0x5001), new SetPmd(0, 1, 0x1000, 0x6003),
                new SetPud(0, 1, 0x1000, 0x7003), new SetPgd(0, 1, 0x1000, 0x8003, 0x9000));
        // one of each record the sealed interface permits, so a new one is not missed by of()
        assertThat(updates.stream().map(Object::getClass))
                .containsExactlyInAnyOrder(EntryUpdate.class.getPermittedSubclasses());
        for (EntryUpdate u : updates) {
            assertThat(EntryUpdate.of(u)).isSameAs(u);
        }
        assertThatThrownBy(() -> EntryUpdate.of(new Pin(0, 1, 0x1000, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not an entry update: pin");
    }

    @Test
    void sharedChecksNameTheFirstBadFieldInTheRecordsOrder() {
        // cpu before timestamp before the slot: a record bad in several fields names the first
        assertThatThrownBy(() -> new SetPmd(-1, -2, -1, 0)).hasMessage("cpu must be >= 0, got -1");
        assertThatThrownBy(() -> new SetPmd(0, -2, -1, 0)).hasMessage("timestamp_ns must be >= 0 or absent, got -2");
        assertThatThrownBy(() -> new SetPmd(0, 1, -1, 0))
                .hasMessage("entry_gpa must be below 2^63, got 0xffffffffffffffff");
        // set_pte_at checks its mm before its slot, as before the checks were shared
        assertThatThrownBy(() -> new SetPteAt(0, 1, -1, 0, -1, 0)).hasMessageStartingWith("mm must be");
        assertThatThrownBy(() -> new ReleasePt(0, 1, 0x10, 5, false)).hasMessage("level must be 1..4, got 5");
        assertThatThrownBy(() -> new Unpin(0, 1, -1, 9)).hasMessageStartingWith("table_gpa must be");
    }
}
