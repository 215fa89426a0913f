package dev.mmutrace.analyze;

import dev.mmutrace.replay.observe.FullValidation;
import dev.mmutrace.replay.observe.Hypercall;
import dev.mmutrace.replay.observe.Multicall;
import dev.mmutrace.replay.observe.PinChange;
import dev.mmutrace.report.XenWork;

/**
 * Xen's direct-paging work (SPEC §7): hypercalls as traps (a multicall batch is one), the entries
 * batches and mmu_update calls carry, ptwr emulations, pins, validations and type changes.
 */
final class XenAnalyzer {
    /** The hypercall whose entries are the mmu_updates of the report. */
    static final String MMU_UPDATE = "mmu_update";

    private long hypercalls;
    private long multicalls;
    private long multicallEntries;
    private long mmuUpdates;
    private long ptwr;
    private long pins;
    private long unpins;
    private long fullValidations;
    private long entriesValidated;
    private long typeChanges;
    /** Whether the model did direct-paging work (ptwr, pins, validations, type changes): what gives its report the section. */
    private boolean seen;

    void hypercall(Hypercall h) {
        if (!h.inMulticall()) {
            hypercalls++;
        }
        if (MMU_UPDATE.equals(h.name())) {
            mmuUpdates += h.entries();
        }
    }

    /** Batching is not Xen's alone (lguest batches hypercalls too), so it does not mark Xen work. */
    void multicall(Multicall m) {
        hypercalls++;
        multicalls++;
        multicallEntries += m.entries();
    }

    void ptwrEmulation() {
        ptwr++;
        seen = true;
    }

    void pinChange(PinChange p) {
        if (p.pinned()) {
            pins++;
        } else {
            unpins++;
        }
        seen = true;
    }

    void fullValidation(FullValidation v) {
        fullValidations++;
        entriesValidated += v.entriesScanned();
        seen = true;
    }

    void typeChange() {
        typeChanges++;
        seen = true;
    }

    boolean seen() {
        return seen;
    }

    long hypercalls() {
        return hypercalls;
    }

    long multicallEntries() {
        return multicallEntries;
    }

    long ptwrEmulations() {
        return ptwr;
    }

    long entriesValidated() {
        return entriesValidated;
    }

    XenWork report(long forcedFlushIpis) {
        return new XenWork(hypercalls, multicalls, multicallEntries, mmuUpdates, ptwr, pins, unpins, fullValidations,
                entriesValidated, typeChanges, forcedFlushIpis);
    }
}
