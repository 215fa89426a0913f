package dev.mmutrace.trace;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableSortedMap;
import java.util.Optional;

/**
 * The Xen guest's physical-to-machine table: which machine frame backs each guest pfn.
 *
 * <p>Three policies: {@code identity} (mfn = pfn), {@code permutation} (the default: a fixed,
 * documented bijection chosen so that any place that confuses a pfn with an mfn shows), and
 * {@code table} (the header lists every pfn's mfn; a pfn it does not list is a hole).
 */
public record P2m(Policy policy, ImmutableSortedMap<Long, Long> table) {

    /** No machine frame backs the pfn: outside guest memory, or a hole in the table. */
    public static final long INVALID_MFN = -1L;

    /**
     * Machine frames of the default permutation start here (4 GiB): the guest's frames live
     * above the first 4 GiB of the host and in reverse order, so a pfn used as an mfn (or the
     * other way round) never names the right frame.
     */
    public static final long PERMUTATION_BASE = 0x10_0000L;

    public enum Policy implements WireNamed {
        IDENTITY, PERMUTATION, TABLE;

        public static Optional<Policy> fromWireName(String name) {
            return WireNamed.find(values(), name);
        }
    }

    public static final P2m PERMUTATION = new P2m(Policy.PERMUTATION, ImmutableSortedMap.of());
    public static final P2m IDENTITY = new P2m(Policy.IDENTITY, ImmutableSortedMap.of());

    public P2m {
        requireNonNull(policy, "policy");
        requireNonNull(table, "table");
        checkArgument(policy == Policy.TABLE || table.isEmpty(), "only the table policy lists frames");
    }

    public static P2m table(ImmutableSortedMap<Long, Long> table) {
        return new P2m(Policy.TABLE, table);
    }

    /**
     * The machine frame behind {@code pfn} in a guest of {@code pfnLimit} frames, or
     * {@link #INVALID_MFN} when none does (pfn beyond the guest's memory, or a hole).
     * The permutation is {@code PERMUTATION_BASE + (pfnLimit - 1 - pfn)}.
     */
    public long mfn(long pfn, long pfnLimit) {
        if (pfn < 0 || pfn >= pfnLimit) {
            return INVALID_MFN;
        }
        return switch (policy) {
            case IDENTITY -> pfn;
            case PERMUTATION -> PERMUTATION_BASE + (pfnLimit - 1 - pfn);
            case TABLE -> table.getOrDefault(pfn, INVALID_MFN);
        };
    }
}
