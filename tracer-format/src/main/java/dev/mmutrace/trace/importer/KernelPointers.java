package dev.mmutrace.trace.importer;

import dev.mmutrace.trace.PagingMode;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;

/**
 * Turns the kernel pointers an event prints ({@code ptep}, {@code pmdp}, {@code pgd}, ...) into
 * guest-physical addresses through the direct map: {@code gpa = pointer - base}.
 *
 * <p>The subtle thing: since Linux 4.15 {@code %p} prints a hash, not the pointer. On x86-64 a
 * hash is 32 bits wide (the upper half printed as zeros), which no direct-map pointer can be, so
 * it is recognised for sure; on 32-bit a hash is any number, and one below the direct-map base
 * is refused as "hashed, or the base is wrong". When the user keeps hashed pointers, each distinct
 * one becomes an opaque identity: a frame of its own, numbered from 0 in order of first
 * appearance (its slot 0 when it names an entry), distinct and stable but with no real place in
 * guest memory.
 */
public final class KernelPointers {
    public static final String HASH_FIX = "re-record after `echo 0 > /sys/kernel/tracing/options/hash-ptr`"
            + " (Linux 5.12+), or keep them as opaque identities (--keep-hashed-pointers)";
    private static final long DIRECT_MAP_SPAN_4LEVEL = 1L << 46;

    private final PagingMode mode;
    private final long base;
    private final boolean keepHashed;
    private final long pfnLimit;
    private final Long2LongOpenHashMap identities = new Long2LongOpenHashMap();

    KernelPointers(PagingMode mode, long base, boolean keepHashed, long pfnLimit) {
        this.mode = mode;
        this.base = base;
        this.keepHashed = keepHashed;
        this.pfnLimit = pfnLimit;
    }

    /**
     * The gpa behind a pointer value, or a problem text (returned through {@code problem[0]})
     * when it cannot be one; {@code align} is the alignment the slot or table needs, a power of two
     * (an entry's 4 or 8 bytes, a table's 4096), so a mask tests it rather than a division.
     */
    long toGpa(long pointer, int align, String[] problem) {
        if (isHashed(pointer)) {
            if (!keepHashed) {
                problem[0] = String.format("pointer %x is hashed (%%p prints hashes by default since Linux 4.15): %s",
                        pointer, HASH_FIX);
                return -1;
            }
            return identity(pointer, problem);
        }
        if (Long.compareUnsigned(pointer, base) < 0) {
            if (keepHashed) {
                return identity(pointer, problem);
            }
            problem[0] = String.format("pointer %x is below the direct-map base %x: the trace has hashed"
                    + " pointers (%s) or the kernel's PAGE_OFFSET differs (KASLR: give --direct-map-base)",
                    pointer, base, HASH_FIX);
            return -1;
        }
        long gpa = pointer - base;
        // negative: more than 2^63 above the base, which only a wrong base or a 64-bit value in a
        // 32-bit mode gives
        if (gpa < 0 || (mode == PagingMode.FOUR_LEVEL && gpa >= DIRECT_MAP_SPAN_4LEVEL)) {
            problem[0] = String.format("pointer %x is not in the direct map at %x (give --direct-map-base)",
                    pointer, base);
            return -1;
        }
        if ((gpa & (align - 1)) != 0) {
            problem[0] = String.format("pointer %x (gpa %x) is not aligned to %d bytes", pointer, gpa, align);
            return -1;
        }
        return gpa;
    }

    private long identity(long pointer, String[] problem) {
        long id = identities.computeIfAbsent(pointer, p -> identities.size());
        if (id >= pfnLimit) {
            problem[0] = String.format("hashed pointer %x is the %d-th distinct one, more than the %d frames of"
                    + " pfn_limit that opaque identities can use", pointer, id + 1, pfnLimit);
            return -1;
        }
        return id << 12;
    }

    /** A 64-bit kernel pointer never has its upper 32 bits clear; a hash always has. */
    boolean isHashed(long pointer) {
        return mode == PagingMode.FOUR_LEVEL && pointer != 0 && (pointer >>> 32) == 0;
    }
}
