package dev.mmutrace.replay.xen;

import dev.mmutrace.replay.observe.Flush;
import dev.mmutrace.replay.observe.FullValidation;
import dev.mmutrace.replay.observe.ObservationSink;
import dev.mmutrace.replay.observe.TypeChange;
import dev.mmutrace.trace.EntryBits;

/**
 * Xen's page type system (mm.c of 3.4): taking and dropping a frame's type, the full
 * validation a page-table type costs when the frame is not yet validated, the devalidation
 * cascade when the last reference goes, and the per-level checks of a new entry
 * ({@code get_page_from_lNe}, {@code mod_lN_entry}).
 *
 * <p>The one subtle thing: a type changes only at type count 0, and a page-table type taken at
 * count 0 validates every entry, taking a reference on each child, so one pin or cr3 load can
 * validate a whole tree, and one unpin can devalidate it. Each check returns its {@link Refusal}
 * ({@link Refusal#NONE} when Xen accepts); the deepest check that failed makes it, the callers on
 * the way up prefix their own part of Xen's log.
 */
final class PageTypes {
    private final FrameTable frames;
    private final MachineMemory memory;
    private final EntryRules rules;
    private final PhysMap phys;
    private final TlbClock clock;
    private final Flushes flushes;
    private final ObservationSink sink;
    private final Cause cause;
    private final boolean allowHugepage;

    PageTypes(FrameTable frames, MachineMemory memory, EntryRules rules, PhysMap phys, TlbClock clock,
            Flushes flushes, ObservationSink sink, Cause cause, boolean allowHugepage) {
        this.frames = frames;
        this.memory = memory;
        this.rules = rules;
        this.phys = phys;
        this.clock = clock;
        this.flushes = flushes;
        this.sink = sink;
        this.cause = cause;
        this.allowHugepage = allowHugepage;
    }

    /** The domain's pfn for {@code mfn} with its frame state present, or -1 when the domain does not own it. */
    int owned(long mfn) {
        long pfn = phys.pfn(mfn);
        if (pfn < 0) {
            return -1;
        }
        frames.touch(pfn);
        return (int) pfn;
    }

    long mfnOf(int pfn) {
        return phys.mfn(pfn);
    }

    /**
     * get_page_type: one more reference of type {@code type} on frame {@code f}. At count 0 a new
     * type is taken (after the TLB-clock filter flush) and a page-table type is validated.
     */
    Refusal takeType(int f, int type) {
        int count = frames.count(f);
        int current = frames.type(f);
        if (count > 0) {
            if (current != type) {
                return refuseType(f, current, type);
            }
            if (!frames.validated(f)) {
                return Refusal.of(Reason.VALIDATION_IN_PROGRESS, String.format(
                        "mfn %x (pfn %x) is being validated as %s", mfnOf(f), f, FrameTable.typeName(type)));
            }
            frames.setCount(f, count + 1);
            return Refusal.NONE;
        }
        if (current != type) {
            filterFlush(f);
            changeType(f, current, type);
            frames.setValidated(f, type == FrameTable.WRITABLE);
        }
        frames.setCount(f, 1);
        if (!frames.validated(f)) {
            Refusal r = validate(f, type);
            if (r.refused()) {
                changeType(f, type, FrameTable.NONE);
                frames.setCount(f, 0);
                frames.setValidated(f, false);
                return r;
            }
            frames.setValidated(f, true);
        }
        return Refusal.NONE;
    }

    /** put_page_type: drops one type reference; at 0 a page table is devalidated and the frame stamped. */
    void dropType(int f) {
        int count = frames.count(f) - 1;
        if (count < 0) {
            throw new IllegalStateException("type count underflow on pfn " + f);
        }
        frames.setCount(f, count);
        if (count == 0) {
            int type = frames.type(f);
            if (FrameTable.isPageTable(type) && frames.validated(f)) {
                frames.setValidated(f, false);
                devalidate(f, type);
            }
            frames.setStamp(f, clock.now());
        }
    }

    /**
     * mod_lN_entry: a checked update of slot {@code index} of the validated table {@code f} at
     * {@code level} to machine entry {@code value}. The new entry's references are taken before
     * the old one's are dropped; a refused update leaves the slot as it was.
     */
    Refusal modEntry(int f, int level, int index, long value, boolean preserveAd) {
        if (!rules.guestSlot(level, index)) {
            return Refusal.of(Reason.XEN_PRIVATE_SLOT, String.format(
                    "Illegal L%d update attempt in Xen-private area (mfn %x slot %d)", level, mfnOf(f), index));
        }
        long old = memory.read(f, index);
        if (preserveAd) {
            value |= old & (EntryBits.ACCESSED | EntryBits.DIRTY);
        }
        if (EntryBits.present(value)) {
            int bad = rules.disallowed(level, value);
            if (bad != 0) {
                return Refusal.of(Reason.badFlags(level), String.format("Bad L%d flags %x", level, bad));
            }
            boolean sameFrame = EntryBits.present(old) && EntryRules.mfn(old) == EntryRules.mfn(value);
            boolean fastPath = level == 1
                    ? sameFrame && ((old ^ value) & EntryBits.RW) == 0
                    : sameFrame;
            if (fastPath) {
                memory.write(f, index, value);
                return Refusal.NONE;
            }
            Refusal r = takeFromEntry(level, value, f);
            if (r.refused()) {
                return r;
            }
        }
        memory.write(f, index, value);
        dropFromEntry(level, old, f);
        return Refusal.NONE;
    }

    /** get_page_from_lNe: the references a present entry of table {@code self} at {@code level} holds. */
    Refusal takeFromEntry(int level, long entry, int self) {
        if (!EntryBits.present(entry)) {
            return Refusal.NONE;
        }
        int bad = rules.disallowed(level, entry);
        if (bad != 0) {
            return Refusal.of(Reason.badFlags(level), String.format("Bad L%d flags %x", level, bad));
        }
        long mfn = EntryRules.mfn(entry);
        boolean rw = (entry & EntryBits.RW) != 0;
        if (level == 1) {
            int target = owned(mfn);
            if (target < 0) {
                return Refusal.of(Reason.NOT_OWNED, String.format(
                        "Non-privileged attempt to map I/O space %08x (mfn not owned by the domain)", mfn));
            }
            Refusal r = rw ? takeType(target, FrameTable.WRITABLE) : Refusal.NONE;
            if (r.refused()) {
                return r.prefixed(String.format("Error getting mfn %x (pfn %x) from L1 entry %x", mfn, target, entry));
            }
            return Refusal.NONE;
        }
        if (level == 2 && (entry & EntryBits.PSE) != 0) {
            return takeSuperpage(mfn, rw);
        }
        int target = owned(mfn);
        if (target < 0) {
            return Refusal.of(Reason.NOT_OWNED, String.format(
                    "Error mfn %x: not owned by the domain (L%d entry %x)", mfn, level, entry));
        }
        if (target == self) {
            return linear(level, entry, target, self, Refusal.NONE);
        }
        Refusal r = takeType(target, level - 1);
        if (r.refused() && frames.type(target) == level && r.reason() == Reason.BAD_TYPE) {
            return linear(level, entry, target, self, r);
        }
        return r;
    }

    /** put_page_from_lNe: drops what {@link #takeFromEntry} took. */
    void dropFromEntry(int level, long entry, int self) {
        if (!EntryBits.present(entry)) {
            return;
        }
        long mfn = EntryRules.mfn(entry);
        if (level == 1) {
            if ((entry & EntryBits.RW) != 0) {
                int target = owned(mfn);
                if (target >= 0) {
                    dropType(target);
                }
            }
            return;
        }
        if (level == 2 && (entry & EntryBits.PSE) != 0) {
            dropSuperpage(mfn, (entry & EntryBits.RW) != 0);
            return;
        }
        int target = owned(mfn);
        if (target >= 0 && target != self) {
            dropType(target);
        }
    }

    /**
     * The linear page-table rule: an Ln entry may map a table of its own level, read-only, and
     * only one already validated as that level; a table mapping itself takes no reference. When
     * the rule does not apply either, the refusal is {@code typeRefusal}, the type check's.
     */
    private Refusal linear(int level, long entry, int target, int self, Refusal typeRefusal) {
        if ((entry & EntryBits.RW) != 0) {
            return Refusal.of(Reason.LINEAR_PT_WRITABLE, String.format(
                    "Attempt to create linear p.t. with write perms (L%d entry %x)", level, entry));
        }
        if (target == self) {
            return Refusal.NONE;
        }
        if (frames.type(target) == level && frames.validated(target) && frames.count(target) > 0) {
            frames.setCount(target, frames.count(target) + 1);
            return Refusal.NONE;
        }
        return typeRefusal;
    }

    /** alloc_lN_table: every guest slot's references, undone if one fails. Non-present slots hold none. */
    private Refusal validate(int f, int level) {
        for (int i = memory.nextPresent(f, 0); i >= 0; i = memory.nextPresent(f, i + 1)) {
            Refusal r = rules.guestSlot(level, i) ? takeFromEntry(level, memory.read(f, i), f) : Refusal.NONE;
            if (!r.refused()) {
                continue;
            }
            for (int j = memory.nextPresent(f, 0); j >= 0 && j < i; j = memory.nextPresent(f, j + 1)) {
                if (rules.guestSlot(level, j)) {
                    dropFromEntry(level, memory.read(f, j), f);
                }
            }
            sink.observe(new FullValidation(cause.event, cause.cpu, mfnOf(f), level, rules.slotsScannedThrough(level, i)));
            return r.prefixed("Failure in alloc_l" + level + "_table (mfn " + Long.toHexString(mfnOf(f)) + "): entry " + i);
        }
        sink.observe(new FullValidation(cause.event, cause.cpu, mfnOf(f), level, rules.slotsScanned(level)));
        return Refusal.NONE;
    }

    /** free_lN_table: every present entry's references go, which may devalidate whole subtrees. */
    private void devalidate(int f, int level) {
        for (int i = memory.nextPresent(f, 0); i >= 0; i = memory.nextPresent(f, i + 1)) {
            if (rules.guestSlot(level, i)) {
                dropFromEntry(level, memory.read(f, i), f);
            }
        }
    }

    /**
     * An L2 superpage: refused unless Xen runs with allowhugepage, and then only at an aligned
     * mfn, with a data reference (a writable type reference when RW) on every frame it covers.
     */
    private Refusal takeSuperpage(long mfn, boolean rw) {
        int span = rules.entries(1);
        if (!allowHugepage) {
            return Refusal.of(Reason.PSE_NOT_ALLOWED, String.format(
                    "L2 superpage at mfn %x refused: Xen runs without allowhugepage", mfn));
        }
        if ((mfn & (span - 1)) != 0) {
            return Refusal.of(Reason.PSE_NOT_ALLOWED, String.format("L2 superpage at unaligned mfn %x", mfn));
        }
        for (int k = 0; k < span; k++) {
            int target = owned(mfn + k);
            Refusal r = target < 0
                    ? Refusal.of(Reason.NOT_OWNED, String.format("superpage frame mfn %x not owned by the domain", mfn + k))
                    : rw ? takeType(target, FrameTable.WRITABLE) : Refusal.NONE;
            if (r.refused()) {
                if (rw) {
                    for (int j = 0; j < k; j++) {
                        dropType(owned(mfn + j));
                    }
                }
                return r;
            }
        }
        return Refusal.NONE;
    }

    private void dropSuperpage(long mfn, boolean rw) {
        if (!allowHugepage || !rw) {
            return;
        }
        int span = rules.entries(1);
        for (int k = 0; k < span; k++) {
            int target = owned(mfn + k);
            if (target >= 0) {
                dropType(target);
            }
        }
    }

    private Refusal refuseType(int f, int current, int wanted) {
        Reason reason;
        if (wanted == FrameTable.WRITABLE) {
            reason = Reason.WRITABLE_PT_MAPPING;
        } else if (current == FrameTable.WRITABLE) {
            reason = Reason.PT_HAS_WRITABLE_MAPPING;
        } else {
            reason = Reason.BAD_TYPE;
        }
        // concatenated, not String.format: a guest that keeps failing reaches this per event
        return Refusal.of(reason, "Bad type (saw " + FrameTable.typeName(current) + " != exp " + FrameTable.typeName(wanted)
                + ") for mfn " + Long.toHexString(mfnOf(f)) + " (pfn " + Integer.toHexString(f) + ")");
    }

    private void changeType(int f, int from, int to) {
        frames.setType(f, to);
        sink.observe(new TypeChange(cause.event, cause.cpu, mfnOf(f), FrameTable.typeName(from),
                FrameTable.typeName(to)));
    }

    /** tlbflush_filter on a type change: IPI the dirty CPUs that have not flushed since the frame's stamp. */
    private void filterFlush(int f) {
        long mask = clock.needFlush(frames.stamp(f));
        if (mask != 0) {
            flushes.full("type_change_ipi", Flush.Origin.MODEL_GENERATED, mask);
        }
    }
}
