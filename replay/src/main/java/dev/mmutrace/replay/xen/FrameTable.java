package dev.mmutrace.replay.xen;

import java.util.Arrays;

/**
 * Xen's per-frame page state for the domain's own frames ({@code struct page_info}'s
 * {@code type_info} and {@code tlbflush_timestamp}), indexed by the frame's pfn (the m2p of its
 * mfn), in primitive arrays that grow as frames are touched.
 *
 * <p>A frame the trace has not touched yet is what a booted Linux guest's lowmem page is: mapped
 * read-write by the kernel's direct map, so type {@code writable} with that one reference. That
 * is why the guest must make a page read-only before Xen lets it become a page table, and why
 * making it read-write again fails while it still is one. Highmem frames (32-bit modes) have no
 * direct-map mapping and start with no type.
 */
final class FrameTable {
    /** Xen's type numbers (PGT_*): a page-table type's number is its level, l1 = 1 .. l4 = 4. */
    static final byte NONE = 0;
    static final byte L1 = 1;
    static final byte L4 = 4;
    static final byte WRITABLE = 7;

    private static final byte VALIDATED = 1;
    private static final byte PINNED = 2;
    private static final byte DIRECT_MAP_RW = 4;

    private final long highmemStart;
    private byte[] type = new byte[0];
    private int[] count = new int[0];
    private byte[] bits = new byte[0];
    private long[] stamp = new long[0];

    /** {@code highmemStart}: the first pfn the kernel's direct map does not cover. */
    FrameTable(long highmemStart) {
        this.highmemStart = highmemStart;
    }

    /** Makes sure state exists for pfn {@code i}. */
    void touch(long pfn) {
        if (pfn < type.length) {
            return;
        }
        int old = type.length;
        int size = (int) Math.max(pfn + 1, Math.max(1024, (long) old * 2));
        type = Arrays.copyOf(type, size);
        count = Arrays.copyOf(count, size);
        bits = Arrays.copyOf(bits, size);
        stamp = Arrays.copyOf(stamp, size);
        for (int i = old; i < size; i++) {
            if (i < highmemStart) {
                type[i] = WRITABLE;
                count[i] = 1;
                bits[i] = VALIDATED | DIRECT_MAP_RW;
            }
        }
    }

    static String typeName(int t) {
        return switch (t) {
            case 1 -> "l1";
            case 2 -> "l2";
            case 3 -> "l3";
            case 4 -> "l4";
            case WRITABLE -> "writable";
            default -> "none";
        };
    }

    /** Whether {@code type} is a page-table type, l1..l4. */
    static boolean isPageTable(int type) {
        return type >= L1 && type <= L4;
    }

    /** Whether frame {@code i} is in use as a page table: a page-table type with a reference. */
    boolean inUseAsPageTable(int i) {
        return isPageTable(type[i]) && count[i] > 0;
    }

    boolean highmem(long pfn) {
        return pfn >= highmemStart;
    }

    int type(int i) {
        return type[i];
    }

    void setType(int i, int t) {
        type[i] = (byte) t;
    }

    int count(int i) {
        return count[i];
    }

    void setCount(int i, int c) {
        count[i] = c;
    }

    boolean validated(int i) {
        return (bits[i] & VALIDATED) != 0;
    }

    void setValidated(int i, boolean on) {
        set(i, VALIDATED, on);
    }

    boolean pinned(int i) {
        return (bits[i] & PINNED) != 0;
    }

    void setPinned(int i, boolean on) {
        set(i, PINNED, on);
    }

    /** Whether the kernel's direct-map entry for this frame is read-write (it holds a writable type ref). */
    boolean directMapRw(int i) {
        return (bits[i] & DIRECT_MAP_RW) != 0;
    }

    void setDirectMapRw(int i, boolean on) {
        set(i, DIRECT_MAP_RW, on);
    }

    long stamp(int i) {
        return stamp[i];
    }

    void setStamp(int i, long s) {
        stamp[i] = s;
    }

    private void set(int i, byte bit, boolean on) {
        bits[i] = (byte) (on ? bits[i] | bit : bits[i] & ~bit);
    }
}
