package dev.mmutrace.replay.xen;

import dev.mmutrace.trace.P2m;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import java.util.Map;

/**
 * The domain's two frame maps: the guest's p2m (pfn to mfn, what {@code pfn_to_mfn} reads) and
 * Xen's m2p (mfn back to pfn). A frame is the domain's own exactly when the m2p knows it: a pfn
 * at or beyond {@code pfn_limit}, or a hole in the p2m, has no machine frame the domain owns.
 *
 * <p>The hypervisor keeps its per-frame state in arrays indexed by the pfn the m2p gives back,
 * so an mfn costs one subtraction (or one hash lookup for a table p2m) to find its state.
 */
final class PhysMap {
    /** No frame: {@code pfn_to_mfn} of a pfn the domain does not have, or the m2p of a foreign mfn. */
    static final long NONE = -1L;

    private final P2m p2m;
    private final long pfnLimit;
    private final Long2LongOpenHashMap m2pTable;

    PhysMap(P2m p2m, long pfnLimit) {
        this.p2m = p2m;
        this.pfnLimit = pfnLimit;
        if (p2m.policy() == P2m.Policy.TABLE) {
            m2pTable = new Long2LongOpenHashMap(p2m.table().size());
            m2pTable.defaultReturnValue(NONE);
            for (Map.Entry<Long, Long> e : p2m.table().entrySet()) {
                if (e.getKey() < pfnLimit) {
                    m2pTable.putIfAbsent(e.getValue().longValue(), e.getKey().longValue());
                }
            }
        } else {
            m2pTable = null;
        }
    }

    /** The guest's {@code pfn_to_mfn}: the machine frame behind {@code pfn}, or {@link #NONE}. */
    long mfn(long pfn) {
        long mfn = p2m.mfn(pfn, pfnLimit);
        return mfn == P2m.INVALID_MFN ? NONE : mfn;
    }

    /** Xen's m2p: the domain's pfn for {@code mfn}, or {@link #NONE} when the domain does not own it. */
    long pfn(long mfn) {
        switch (p2m.policy()) {
            case IDENTITY:
                return mfn >= 0 && mfn < pfnLimit ? mfn : NONE;
            case PERMUTATION: {
                long off = mfn - P2m.PERMUTATION_BASE;
                return off >= 0 && off < pfnLimit ? pfnLimit - 1 - off : NONE;
            }
            default:
                return m2pTable.get(mfn);
        }
    }

    long pfnLimit() {
        return pfnLimit;
    }
}
