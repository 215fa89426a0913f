package dev.mmutrace.replay.baseline;

import static dev.mmutrace.replay.baseline.NativeModelTest.only;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmutrace.replay.ModelOptions;
import dev.mmutrace.replay.Models;
import dev.mmutrace.replay.ReplayEngine;
import dev.mmutrace.replay.ReplayListener;
import dev.mmutrace.replay.observe.Fault;
import dev.mmutrace.replay.observe.MissedFlush;
import dev.mmutrace.replay.observe.Observation;
import dev.mmutrace.trace.Access;
import dev.mmutrace.trace.AccessMode;
import dev.mmutrace.trace.InitialMemory;
import dev.mmutrace.trace.PageFault;
import dev.mmutrace.trace.PagingMode;
import dev.mmutrace.trace.SetPmd;
import dev.mmutrace.trace.SetPte;
import dev.mmutrace.trace.SetPud;
import dev.mmutrace.trace.TraceEvent;
import dev.mmutrace.trace.TraceHeader;
import dev.mmutrace.trace.WriteCr3;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PAE's PDPTE registers on bare metal (Intel SDM vol. 3 §4.4.1; reference/x86.md §2.2: the PDPTEs
 * are loaded at a cr3 load and the "walk uses the cached PDPTR"). Tables: PDPT at 0x1000 (cr3), PD
 * at 0x2000, PT at 0x3000. vaddr 0x400000 is PDPT[0], PD[2] (slot 0x2010), PT[0] (slot 0x3000);
 * 0x401000 is PT[1] (slot 0x3008). A PDPTE carries only P and the address (bits 2:1 are reserved).
 * Memory starts empty, one vCPU, explicit accesses.
 */
class PdptRegistersTest {
    static final long PDPTE = 0x2000 | 1;
    static final long USER_RW = 0x7;
    static final long VA = 0x400000L;

    private static List<Observation> replay(List<TraceEvent> events) {
        TraceHeader h = TraceHeader.defaults(PagingMode.PAE, 1, 1 << 20).withAccessMode(AccessMode.EXPLICIT)
                .withInitialMemory(InitialMemory.EMPTY);
        List<Observation> seen = new ArrayList<>();
        ReplayListener listener = (model, o) -> seen.add(o);
        new ReplayEngine(h, List.of(Models.named("native").orElseThrow()), ModelOptions.DEFAULTS, listener)
                .run(events.iterator());
        return seen;
    }

    private static List<TraceEvent> lowerTables(List<TraceEvent> e) {
        e.add(new SetPmd(0, -1, 0x2010, 0x3000 | USER_RW));
        e.add(new SetPte(0, -1, 0x3000, 0xA000 | USER_RW));
        e.add(new SetPte(0, -1, 0x3008, 0xB000 | USER_RW));
        return e;
    }

    private static WriteCr3 cr3() {
        return new WriteCr3(0, -1, 0x1000, WriteCr3.Root.KERNEL);
    }

    private static Access read(long vaddr) {
        return new Access(0, -1, vaddr, Access.Kind.READ, true);
    }

    @Test
    void aPdpteClearedAfterTheLoadStillTranslatesUntilTheNextLoad() {
        List<TraceEvent> e = new ArrayList<>();
        e.add(new SetPud(0, -1, 0x1000, PDPTE));  // 0
        lowerTables(e);                            // 1..3
        e.add(cr3());                              // 4: register 0 = 0x2001
        e.add(new SetPud(0, -1, 0x1000, 0));       // 5: cleared in memory, no reload
        e.add(read(VA));                           // 6: the walk uses register 0: translates; a stale use
        e.add(read(VA + 0x1000));                  // 7: the same register again: translates, not counted twice
        e.add(cr3());                              // 8: reload: register 0 = 0
        e.add(read(VA));                           // 9: not present at the PDPTE: the guest's fault
        List<Observation> obs = replay(e);

        assertThat(only(obs, MissedFlush.class))
                .containsExactly(new MissedFlush(6, 0, VA, MissedFlush.Why.STALE_PDPTE));
        // Error code: not present (P=0), a read (W=0), from user mode (U=4).
        assertThat(only(obs, Fault.class)).containsExactly(new Fault(9, 0, Fault.Kind.GUEST, VA, PageFault.U));
    }

    @Test
    void aPdpteSetAfterTheLoadFaultsUntilTheNextLoad() {
        List<TraceEvent> e = new ArrayList<>();
        e.add(cr3());                              // 0: empty PDPT: every register 0
        e.add(new SetPud(0, -1, 0x1000, PDPTE));   // 1: set in memory, no reload
        lowerTables(e);                            // 2..4
        e.add(read(VA));                           // 5: register 0 is not present: a fault, and a stale use
        e.add(cr3());                              // 6: reload: register 0 = 0x2001
        e.add(read(VA));                           // 7: translates
        List<Observation> obs = replay(e);

        assertThat(only(obs, MissedFlush.class))
                .containsExactly(new MissedFlush(5, 0, VA, MissedFlush.Why.STALE_PDPTE));
        assertThat(only(obs, Fault.class)).containsExactly(new Fault(5, 0, Fault.Kind.GUEST, VA, PageFault.U));
    }

    @Test
    void beforeItsFirstLoadAVcpuReadsThePdptFromMemory() {
        // No write_cr3 yet, cr3 from the header's init_mm: the trace does not show when the
        // registers were loaded, so the walk reads memory (as every walk did before registers).
        List<TraceEvent> e = new ArrayList<>();
        e.add(new SetPud(0, -1, 0x1000, PDPTE));
        lowerTables(e);
        e.add(read(VA));
        TraceHeader h = TraceHeader.defaults(PagingMode.PAE, 1, 1 << 20).withAccessMode(AccessMode.EXPLICIT)
                .withInitialMemory(InitialMemory.EMPTY).withInitMmPgd(0x1000);
        List<Observation> obs = new ArrayList<>();
        ReplayListener listener = (model, o) -> obs.add(o);
        new ReplayEngine(h, List.of(Models.named("native").orElseThrow()), ModelOptions.DEFAULTS, listener)
                .run(e.iterator());
        assertThat(only(obs, MissedFlush.class)).isEmpty();
        assertThat(only(obs, Fault.class)).isEmpty();
    }
}
