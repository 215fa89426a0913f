package dev.mmutrace.bench;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Collection;
import java.util.Comparator;

/**
 * What one {@link HostProbe} found: the kernel's seconds on one thread alone and on {@code threads}
 * threads at once (first start to last end). With {@code threads} cores of their own the two take
 * the same time; if the host runs them on fewer cores' worth, all at once takes longer.
 */
public record HostShare(int threads, double aloneSeconds, double allSeconds) {

    public HostShare {
        checkArgument(threads >= 1, "a probe runs on at least one thread, got %s", threads);
        checkArgument(aloneSeconds > 0 && allSeconds > 0, "probe times must be positive: %s, %s", aloneSeconds,
                allSeconds);
    }

    /**
     * The cores the host gave: {@code threads} kernels' work over the time they took all at once,
     * in kernels alone per the same time, that is {@code threads x alone / all}; at most
     * {@code threads} (all at once can come out a little quicker than alone by chance).
     */
    public double cores() {
        return Math.min(threads, threads * aloneSeconds / allSeconds);
    }

    /** One core's speed against {@code other}'s: 1 the same, 0.8 a fifth slower, 1.1 a tenth faster. */
    public double speedAgainst(HostShare other) {
        return other.aloneSeconds / aloneSeconds;
    }

    /** The probe whose kernel ran quickest alone: the one core's best speed among {@code probes}. */
    public static HostShare fastest(Collection<HostShare> probes) {
        return probes.stream().min(Comparator.comparingDouble(HostShare::aloneSeconds)).orElseThrow();
    }
}
