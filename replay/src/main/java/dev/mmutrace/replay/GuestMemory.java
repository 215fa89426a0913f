package dev.mmutrace.replay;

import dev.mmutrace.trace.EntryBits;
import dev.mmutrace.trace.InitialMemory;
import dev.mmutrace.trace.PagingMode;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;

/**
 * The guest's page-table memory, as the guest sees it (pfn-based entries). Only frames that hold
 * page-table entries exist; data pages need no contents (SPEC §4).
 *
 * <p>The subtle thing: a slot the trace never wrote is <em>unknown</em>, not zero. A trace can
 * start mid-run, and a walk that reads an unknown slot must say so (SPEC §2.2) rather than
 * pretend the entry is not present. Only a trace whose header says memory starts empty (it
 * starts at boot) has every slot known from the start, a never-written one reading 0. Every
 * model reads this one memory; only the replay engine
 * stores the guest's updates into it, and the A and D bits a walk sets go through
 * {@link #setBits}.
 */
public final class GuestMemory {
    private final int entryShift;
    /** Memory starts zeroed: every slot is known, and {@link #isKnown} needs no bitmap. */
    private final boolean startsEmpty;
    private final int entriesPerFrame;
    private final Long2ObjectOpenHashMap<Frame> frames = new Long2ObjectOpenHashMap<>();
    /**
     * A small direct-mapped cache in front of {@link #frames}: a walk and a run of stores touch a
     * handful of frames over and over, and frames are never dropped, so a cached one stays right.
     */
    private static final int CACHE = 256;
    private final long[] cachedPfn = new long[CACHE];
    private final Frame[] cachedFrame = new Frame[CACHE];

    /** Gaps so far (events the tracer lost): a slot written before the latest one may have changed since. */
    private int gaps;

    /** One 4 KiB frame: its entries and which of them the trace has written. */
    private static final class Frame {
        final long[] entries;
        final long[] known;
        /** Which entries were written since gap number {@link #epoch}; stale when that is not the latest. */
        final long[] sinceGap;
        int epoch;
        /**
         * How many entries are not 0. A guest clears a table before it frees it, so a recycled
         * table is mostly all zero already, and zeroing it again (512 stores) can be skipped.
         */
        int nonZero;

        Frame(int entries) {
            this.entries = new long[entries];
            this.known = new long[(entries + 63) >>> 6];
            this.sinceGap = new long[known.length];
        }

        /** Marks entry {@code i} written now, after the latest of {@code gaps} gaps. */
        void writtenAfter(int gaps, int i) {
            if (epoch != gaps) {
                java.util.Arrays.fill(sinceGap, 0);
                epoch = gaps;
            }
            sinceGap[i >>> 6] |= 1L << i;
        }
    }

    /** Memory for a trace of {@code mode} that starts as the header's {@code initial} says. */
    public GuestMemory(PagingMode mode, InitialMemory initial) {
        this.startsEmpty = initial == InitialMemory.EMPTY;
        this.entryShift = Integer.numberOfTrailingZeros(mode.entryBytes());
        this.entriesPerFrame = mode.entriesPerTable();
    }

    /**
     * The entry at {@code slotGpa}; 0 when never written, which is not present if memory started
     * empty and unknown otherwise (ask {@link #isKnown} to tell the two apart).
     */
    public long read(long slotGpa) {
        Frame f = frame(EntryBits.pageNumber(slotGpa));
        return f == null ? 0 : f.entries[index(slotGpa)];
    }

    /**
     * Whether the slot's value is known: always when memory started empty, otherwise when the
     * trace (or the engine on its behalf) has written it.
     */
    public boolean isKnown(long slotGpa) {
        if (startsEmpty) {
            return true;
        }
        Frame f = frame(EntryBits.pageNumber(slotGpa));
        if (f == null) {
            return false;
        }
        int i = index(slotGpa);
        return (f.known[i >>> 6] & (1L << i)) != 0;
    }

    /**
     * The tracer lost events here (a {@code gap}): any entry may have been stored to in them, so
     * from now on every slot's value is the last one the trace showed, not a known one, until the
     * trace writes it again ({@link #writtenSinceGap}). Only the replay engine calls this.
     */
    public void gap() {
        gaps++;
    }

    /** Whether the trace has had a gap so far: until then every known slot is as the trace left it. */
    public boolean hadGap() {
        return gaps > 0;
    }

    /**
     * Whether the slot was written (or zeroed by an {@code alloc_pt}) since the latest gap, so
     * that no lost store can have changed it; true for every slot before the first gap.
     */
    public boolean writtenSinceGap(long slotGpa) {
        if (gaps == 0) {
            return true;
        }
        Frame f = frame(EntryBits.pageNumber(slotGpa));
        if (f == null || f.epoch != gaps) {
            return false;
        }
        int i = index(slotGpa);
        return (f.sinceGap[i >>> 6] & (1L << i)) != 0;
    }

    /** Stores a guest update. Only the replay engine calls this. */
    public void write(long slotGpa, long value) {
        long pfn = EntryBits.pageNumber(slotGpa);
        Frame f = frame(pfn);
        if (f == null) {
            f = new Frame(entriesPerFrame);
            frames.put(pfn, f);
        }
        int i = index(slotGpa);
        f.nonZero += (value != 0 ? 1 : 0) - (f.entries[i] != 0 ? 1 : 0);
        f.entries[i] = value;
        f.known[i >>> 6] |= 1L << i;
        if (gaps > 0) {
            f.writtenAfter(gaps, i);
        }
    }

    /**
     * Makes every slot of the frame at {@code pfn} known and zero: the guest kernel allocates
     * page-table pages zeroed, so a page that became a table holds not-present entries, not
     * unknown ones. Only the replay engine calls this.
     */
    public void zeroFrame(long pfn) {
        Frame f = frame(pfn);
        if (f == null) {
            f = new Frame(entriesPerFrame);
            frames.put(pfn, f);
        } else if (f.nonZero > 0) {
            java.util.Arrays.fill(f.entries, 0);
            f.nonZero = 0;
        }
        java.util.Arrays.fill(f.known, -1L);
        if (gaps > 0) {
            java.util.Arrays.fill(f.sinceGap, -1L);
            f.epoch = gaps;
        }
    }

    /** ORs {@code bits} (A, D) into a known entry, as the hardware or a host does on an access. */
    public void setBits(long slotGpa, long bits) {
        Frame f = frame(EntryBits.pageNumber(slotGpa));
        if (f != null) {
            int i = index(slotGpa);
            if (f.entries[i] == 0 && bits != 0) {
                f.nonZero++;
            }
            f.entries[i] |= bits;
        }
    }

    /** The gpa of entry {@code index} of the table at frame {@code pfn}. */
    public long slotGpa(long pfn, int index) {
        return EntryBits.pageAddress(pfn) + ((long) index << entryShift);
    }

    public int entriesPerFrame() {
        return entriesPerFrame;
    }

    /** The number of table frames held, for memory accounting. */
    public int frameCount() {
        return frames.size();
    }

    /** The frame at {@code pfn}, or null; through the cache. */
    private Frame frame(long pfn) {
        int i = (int) (pfn ^ (pfn >>> 8)) & (CACHE - 1);
        Frame f = cachedFrame[i];
        if (f != null && cachedPfn[i] == pfn) {
            return f;
        }
        f = frames.get(pfn);
        if (f != null) {
            cachedPfn[i] = pfn;
            cachedFrame[i] = f;
        }
        return f;
    }

    private int index(long slotGpa) {
        return (int) ((slotGpa & EntryBits.PAGE_OFFSET_MASK) >>> entryShift);
    }
}
